import type { Activity } from "@/features/projects/api/project";
import type { ActivityCreate } from "@/features/projects/api/records";

export type ActivityKind = ActivityCreate["kind"];
export type FacilityType = NonNullable<ActivityCreate["facility_type"]>;
export const ACTIVITY_KINDS: readonly ActivityKind[] = [
  "workshop",
  "training",
  "study-visit",
  "on-site-visit",
  "conference",
  "expert-mission",
];
export const FACILITY_TYPES: readonly FacilityType[] = [
  "detention-facility",
  "asylum-facility",
  "international-airport",
  "border-crossing-point",
];

export interface ParticipantRow {
  organisation_id: string;
  women: string;
  men: string;
  unspecified: string;
}

export interface ActivityFormState {
  kind: ActivityKind;
  title: string;
  description: string;
  facility_type: FacilityType | "";
  facility_name: string;
  start_date: string;
  end_date: string;
  place: string;
  country_code: string;
  participants: ParticipantRow[];
  is_illustrative: boolean;
}

export function emptyActivity(): ActivityFormState {
  return {
    kind: "workshop",
    title: "",
    description: "",
    facility_type: "",
    facility_name: "",
    start_date: "",
    end_date: "",
    place: "",
    country_code: "",
    participants: [],
    is_illustrative: false,
  };
}

export function activityForm(a: Activity): ActivityFormState {
  return {
    kind: a.kind,
    title: a.title,
    description: a.description ?? "",
    facility_type: a.facility_type ?? "",
    facility_name: a.facility_name ?? "",
    start_date: a.start_date,
    end_date: a.end_date ?? "",
    place: a.place ?? "",
    country_code: a.country_code ?? "",
    participants: a.participants.map((p) => ({
      organisation_id: p.organisation.id,
      women: String(p.women),
      men: String(p.men),
      unspecified: String(p.unspecified),
    })),
    is_illustrative: a.is_illustrative,
  };
}

const orNull = (value: string) => (value.trim() === "" ? null : value.trim());
/** A count as typed; anything that is not a whole number goes as typed, so the API names the field. */
const count = (value: string): number => (value.trim() === "" ? 0 : Number(value));

/** The request body; a facility only goes with an on-site visit. */
export function activityBody(form: ActivityFormState): ActivityCreate {
  const onSite = form.kind === "on-site-visit";
  return {
    kind: form.kind,
    title: form.title.trim(),
    description: orNull(form.description),
    facility_type: onSite && form.facility_type ? form.facility_type : null,
    facility_name: onSite ? orNull(form.facility_name) : null,
    start_date: form.start_date,
    end_date: orNull(form.end_date),
    place: orNull(form.place),
    country_code: orNull(form.country_code),
    participants: form.participants
      .filter((p) => p.organisation_id)
      .map((p) => ({
        organisation_id: p.organisation_id,
        women: count(p.women),
        men: count(p.men),
        unspecified: count(p.unspecified),
      })),
    is_illustrative: form.is_illustrative,
  };
}

export function participantTotal(form: ActivityFormState): number {
  return form.participants.reduce(
    (sum, p) => sum + (count(p.women) || 0) + (count(p.men) || 0) + (count(p.unspecified) || 0),
    0,
  );
}

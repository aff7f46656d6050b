import { parseLocaleNumber } from "@/lib/number-input";
import type { Project, ProjectCreate } from "@/features/projects/api/project";
import type { Narratives } from "@/lib/narratives";

export interface ProjectFormState {
  code: string;
  /** In `language`; `titles` and `descriptions` hold the other languages. */
  title: string;
  description: string;
  language: string;
  titles: Narratives;
  descriptions: Narratives;
  status: ProjectCreate["status"] & string;
  planned_start: string;
  planned_end: string;
  actual_start: string;
  actual_end: string;
  /** Null until the user chooses: a new project is published only when someone says so. */
  is_public: boolean | null;
  /** Kept as loaded: demo and example records stay marked as illustrative. */
  is_illustrative: boolean;
  themes: string[];
  countries: { country_code: string; percentage: string }[];
  participants: {
    organisation_id: string;
    role: "funding" | "accountable" | "extending" | "implementing" | "beneficiary";
  }[];
  sectors: SectorRow[];
  locations: LocationRow[];
}

/** A DAC sector with its share of the project (the shares total 100, as the countries'). */
export interface SectorRow {
  sector_code: string;
  percentage: string;
}

/** A sub-national location; coordinates are text while typed (or set by the map's point picker). */
export interface LocationRow {
  country_code: string;
  name: string;
  admin_area: string;
  description: string;
  latitude: string;
  longitude: string;
}

export const emptyLocation = (country = ""): LocationRow => ({
  country_code: country,
  name: "",
  admin_area: "",
  description: "",
  latitude: "",
  longitude: "",
});

export function emptyForm(): ProjectFormState {
  return {
    code: "",
    title: "",
    description: "",
    language: "en",
    titles: {},
    descriptions: {},
    status: "pipeline",
    planned_start: "",
    planned_end: "",
    actual_start: "",
    actual_end: "",
    is_public: null,
    is_illustrative: false,
    themes: [],
    countries: [{ country_code: "", percentage: "100" }],
    participants: [],
    sectors: [],
    locations: [],
  };
}

export function formFromProject(p: Project): ProjectFormState {
  return {
    code: p.code,
    title: p.title,
    description: p.description ?? "",
    language: p.language,
    titles: others(p.titles, p.language),
    descriptions: others(p.descriptions, p.language),
    status: p.status,
    planned_start: p.planned_start ?? "",
    planned_end: p.planned_end ?? "",
    actual_start: p.actual_start ?? "",
    actual_end: p.actual_end ?? "",
    is_public: p.is_public,
    is_illustrative: p.is_illustrative,
    themes: p.themes.map((theme) => theme.code),
    countries: p.countries.map((c) => ({ country_code: c.country_code, percentage: String(Number(c.percentage)) })),
    participants: p.participants.map((x) => ({ organisation_id: x.organisation.id, role: x.role })),
    sectors: p.sectors.map((x) => ({ sector_code: x.sector_code, percentage: String(Number(x.percentage)) })),
    locations: p.locations.map((l) => ({
      country_code: l.country_code,
      name: l.name,
      admin_area: l.admin_area ?? "",
      description: l.description ?? "",
      latitude: l.latitude === null || l.latitude === undefined ? "" : String(Number(l.latitude)),
      longitude: l.longitude === null || l.longitude === undefined ? "" : String(Number(l.longitude)),
    })),
  };
}

const orNull = (value: string) => (value.trim() === "" ? null : value.trim());
/** "41,7151" (a decimal comma, as Czech and Russian write it) is sent as 41.7151. */
const coordinate = (value: string) => orNull(value.replace(",", "."));

function others(held: Narratives, language: string): Narratives {
  return Object.fromEntries(Object.entries(held).filter(([lang]) => lang !== language));
}

/** Every language's text, the default one from its own field; blank texts dropped. */
function withDefault(held: Narratives, language: string, text: string): Narratives {
  const out: Narratives = {};
  for (const [lang, value] of Object.entries(held)) if (lang !== language && value.trim()) out[lang] = value.trim();
  if (text.trim()) out[language] = text.trim();
  return out;
}

/** A number as the user typed it in their language, as the API's decimal text (left as typed when it is not one). */
export function decimalText(text: string, language: string): string {
  const parsed = parseLocaleNumber(text, language);
  return parsed.ok && parsed.value !== null ? parsed.value : text.trim();
}

/** The request body; percentages go as strings so the API keeps them exact (it accepts number or string). */
export function bodyFromForm(form: ProjectFormState, language = "en"): ProjectCreate {
  return {
    code: form.code.trim(),
    title: form.title.trim(),
    description: orNull(form.description),
    language: form.language,
    titles: withDefault(form.titles, form.language, form.title),
    descriptions: withDefault(form.descriptions, form.language, form.description),
    status: form.status,
    planned_start: orNull(form.planned_start),
    planned_end: orNull(form.planned_end),
    actual_start: orNull(form.actual_start),
    actual_end: orNull(form.actual_end),
    is_public: form.is_public === true,
    themes: form.themes,
    countries: form.countries.map((c) => ({
      country_code: c.country_code,
      percentage: decimalText(c.percentage, language),
    })),
    participants: form.participants.filter((x) => x.organisation_id),
    is_illustrative: form.is_illustrative,
    sectors: form.sectors.map((x) => ({ sector_code: x.sector_code, percentage: x.percentage.trim() })),
    locations: form.locations.map((l) => ({
      country_code: l.country_code,
      name: l.name.trim(),
      admin_area: orNull(l.admin_area),
      description: orNull(l.description),
      latitude: coordinate(l.latitude),
      longitude: coordinate(l.longitude),
    })),
  };
}

/** Sum of the country percentages, checked as the user types (the API wants 100). */
export function percentageTotal(form: ProjectFormState, language = "en"): number {
  return form.countries.reduce((sum, c) => sum + (Number(decimalText(c.percentage, language)) || 0), 0);
}

import { useState } from "react";
import { useTranslation } from "react-i18next";
import { organisationOption, useOrganisations } from "@/api/organisations";
import { useCountries } from "@/api/reference";
import { Field } from "@/components/Field";
import { RowsFieldset } from "@/components/forms/RowsFieldset";
import { Select } from "@/components/Select";
import { useCountryName } from "@/i18n/names";
import { useFieldErrors } from "@/lib/field-messages";
import type { Activity } from "@/features/projects/api/project";
import { etagOf, useSaveActivity } from "@/features/projects/api/records";
import {
  ACTIVITY_KINDS,
  activityBody,
  activityForm,
  emptyActivity,
  FACILITY_TYPES,
  participantTotal,
  type ActivityFormState,
} from "@/features/projects/components/activity-form-model";
import { RecordForm, type RecordFormProps } from "@/features/projects/components/RecordForm";

/** Create or edit an activity: field errors from problem+json beside their fields, a 412 explained. */
export function ActivityForm({ projectId, row: activity, onDone, onReload }: RecordFormProps<Activity>) {
  const { t } = useTranslation();
  const countryName = useCountryName();
  const save = useSaveActivity(projectId);
  const countries = useCountries(false);
  const organisations = useOrganisations();
  const [form, setForm] = useState<ActivityFormState>(() => (activity ? activityForm(activity) : emptyActivity()));
  const errors = useFieldErrors(save.error);
  const set = <K extends keyof ActivityFormState>(key: K, value: ActivityFormState[K]) =>
    setForm({ ...form, [key]: value });
  const text =
    (key: "title" | "description" | "facility_name" | "start_date" | "end_date" | "place" | "country_code") =>
    (e: { target: { value: string } }) =>
      set(key, e.target.value);

  return (
    <RecordForm
      heading={activity ? t("activities.edit", { title: activity.title }) : t("activities.add")}
      testId="activity-form"
      what={t("activities.one")}
      save={save}
      onSubmit={() =>
        save.mutate(
          { body: activityBody(form), id: activity?.id, etag: activity ? etagOf(activity) : undefined },
          { onSuccess: onDone },
        )
      }
      onCancel={onDone}
      onReload={onReload}
    >
      <div className="form-grid">
        <Field label={t("fields.kind")} error={errors.kind}>
          <Select
            value={form.kind}
            onChange={(e) => set("kind", e.target.value as ActivityFormState["kind"])}
            options={ACTIVITY_KINDS.map((kind) => ({ value: kind, label: t(`activityKinds.${kind}`) }))}
          />
        </Field>
        <Field label={t("fields.title")} error={errors.title} className="wide">
          <input value={form.title} onChange={text("title")} required />
        </Field>
        <Field label={t("fields.start")} error={errors.start_date}>
          <input type="date" value={form.start_date} onChange={text("start_date")} required />
        </Field>
        <Field label={t("fields.end")} error={errors.end_date}>
          <input type="date" value={form.end_date} onChange={text("end_date")} />
        </Field>
        {form.kind === "on-site-visit" ? (
          <>
            <Field label={t("activities.facilityType")} error={errors.facility_type}>
              <Select
                value={form.facility_type}
                onChange={(e) => set("facility_type", e.target.value as ActivityFormState["facility_type"])}
                empty="—"
                options={FACILITY_TYPES.map((type) => ({ value: type, label: t(`facilityTypes.${type}`) }))}
              />
            </Field>
            <Field label={t("activities.facilityName")} error={errors.facility_name}>
              <input value={form.facility_name} onChange={text("facility_name")} />
            </Field>
          </>
        ) : null}
        <Field label={t("activities.place")} error={errors.place}>
          <input value={form.place} onChange={text("place")} />
        </Field>
        <Field label={t("fields.country")} error={errors.country_code}>
          <Select
            value={form.country_code}
            onChange={text("country_code")}
            empty="—"
            options={(countries.data ?? []).map((c) => ({ value: c.code, label: countryName(c.code, c.name) }))}
          />
        </Field>
        <Field label={t("fields.description")} error={errors.description} className="wide">
          <textarea rows={3} value={form.description} onChange={text("description")} />
        </Field>
      </div>
      <RowsFieldset
        legend={t("activities.participants")}
        className="subfieldset"
        error={errors.participants}
        rows={form.participants}
        onChange={(participants) => set("participants", participants)}
        newRow={() => ({ organisation_id: "", women: "0", men: "0", unspecified: "0" })}
        addLabel={t("activities.addParticipants")}
        footer={
          <p className="muted" aria-live="polite">
            {t("activities.totalParticipants", { total: participantTotal(form) })}
          </p>
        }
        renderRow={(row, index, change) => (
          <>
            <Field
              label={t("fields.organisation")}
              error={errors[`participants[${index}].organisation_id`] ?? errors[`participants[${index}]`]}
            >
              <Select
                value={row.organisation_id}
                onChange={(e) => change({ organisation_id: e.target.value })}
                empty="—"
                options={(organisations.data?.items ?? []).map(organisationOption)}
              />
            </Field>
            {(["women", "men", "unspecified"] as const).map((key) => (
              <Field
                key={key}
                label={t(`activities.${key}`)}
                error={errors[`participants[${index}].${key}`]}
                className="narrow"
              >
                <input inputMode="numeric" value={row[key]} onChange={(e) => change({ [key]: e.target.value })} />
              </Field>
            ))}
          </>
        )}
      />
    </RecordForm>
  );
}

import { useTranslation } from "react-i18next";
import { organisationOption, useOrganisations } from "@/api/organisations";
import { useCountries } from "@/api/reference";
import { Field } from "@/components/Field";
import { useFormState } from "@/components/forms/useFormState";
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
export function ActivityForm({ projectId, row: activity, onDone, frame }: RecordFormProps<Activity>) {
  const { t } = useTranslation();
  const countryName = useCountryName();
  const save = useSaveActivity(projectId);
  const countries = useCountries(false);
  const organisations = useOrganisations();
  const { form, set, bind } = useFormState<ActivityFormState>(() =>
    activity ? activityForm(activity) : emptyActivity(),
  );
  const errors = useFieldErrors(save.error);

  function submit() {
    save.mutate(
      { body: activityBody(form), id: activity?.id, etag: activity ? etagOf(activity) : undefined },
      { onSuccess: onDone },
    );
  }

  return (
    <RecordForm {...frame} save={save} onSubmit={submit}>
      <div className="form-grid">
        <Field label={t("fields.kind")} error={errors.kind}>
          <Select
            {...bind("kind")}
            options={ACTIVITY_KINDS.map((kind) => ({ value: kind, label: t(`activityKinds.${kind}`) }))}
          />
        </Field>
        <Field label={t("fields.title")} error={errors.title} className="wide">
          <input {...bind("title")} required />
        </Field>
        <Field label={t("fields.start")} error={errors.start_date}>
          <input type="date" {...bind("start_date")} required />
        </Field>
        <Field label={t("fields.end")} error={errors.end_date}>
          <input type="date" {...bind("end_date")} />
        </Field>
        {form.kind === "on-site-visit" ? (
          <>
            <Field label={t("activities.facilityType")} error={errors.facility_type}>
              <Select
                {...bind("facility_type")}
                empty="—"
                options={FACILITY_TYPES.map((type) => ({ value: type, label: t(`facilityTypes.${type}`) }))}
              />
            </Field>
            <Field label={t("activities.facilityName")} error={errors.facility_name}>
              <input {...bind("facility_name")} />
            </Field>
          </>
        ) : null}
        <Field label={t("activities.place")} error={errors.place}>
          <input {...bind("place")} />
        </Field>
        <Field label={t("fields.country")} error={errors.country_code}>
          <Select
            {...bind("country_code")}
            empty="—"
            options={(countries.data ?? []).map((c) => ({ value: c.code, label: countryName(c.code, c.name) }))}
          />
        </Field>
        <Field label={t("fields.description")} error={errors.description} className="wide">
          <textarea rows={3} {...bind("description")} />
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

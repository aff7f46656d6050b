import { NarrativeEditor } from "@/components/NarrativeEditor";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { sortByName, useCodeName, useCountryName } from "@/i18n/names";
import { Link, Navigate, useNavigate, useParams } from "react-router";
import { organisationOption, useOrganisations } from "@/api/organisations";
import { PROJECT_STATUSES, useProjectAccess } from "@/api/projects";
import { useCountries, useThemes } from "@/api/reference";
import { ErrorPanel } from "@/components/ErrorPanel";
import { Field } from "@/components/Field";
import { RowsFieldset } from "@/components/forms/RowsFieldset";
import { FormActions } from "@/components/FormActions";
import { ConflictPanel, ProblemSummary } from "@/components/FormProblem";
import { Loading } from "@/components/Loading";
import { Select } from "@/components/Select";
import { canCreateProjects, managerReach, reachCovers } from "@/lib/auth/permissions";
import { useSession } from "@/lib/auth/session";
import { localFieldErrors } from "@/lib/field-messages";
import { ApiError } from "@/lib/problem";
import { useQueryClient } from "@tanstack/react-query";
import { projectQueryOptions, useCreateProject, useProject, useUpdateProject } from "@/features/projects/api/project";
import {
  bodyFromForm,
  emptyForm,
  formFromProject,
  percentageTotal,
  type ProjectFormState,
} from "@/features/projects/components/project-form-model";
import { LocationsFieldset } from "@/features/projects/components/LocationsFieldset";
import { SectorsFieldset } from "@/features/projects/components/SectorsFieldset";

const ROLES = ["funding", "accountable", "extending", "implementing", "beneficiary"] as const;

interface FormProps {
  initial: ProjectFormState;
  heading: string;
  error: unknown;
  busy: boolean;
  onSubmit: (form: ProjectFormState) => void;
  onReload?: () => void;
  cancelTo: string;
}

/**
 * A manager may only create (or keep) projects their grants reach: said before they fill anything in, and kept in
 * view until a partner or country of theirs is on the form, instead of a 403 after saving.
 */
function ScopeNotice({ form }: { form: ProjectFormState }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const organisations = useOrganisations();
  const countryName = useCountryName();
  const reach = managerReach(me, organisations.data?.items ?? []);
  if (reach.everything || !organisations.data) return null;
  const covered = reachCovers(
    reach,
    form.participants.map((p) => p.organisation_id),
    form.countries.map((c) => c.country_code),
  );
  const names = [
    ...reach.grantOrganisations.map((o) => o.name),
    ...reach.countries.map((code) => countryName(code)),
  ].join(", ");
  return (
    <div className={`panel ${covered ? "panel-ok" : "panel-warning"}`} role="status" data-testid="scope-notice">
      {covered ? t("form.scopeCovered", { names }) : t("form.scopeNeeded", { names })}
    </div>
  );
}

function ProjectForm({ initial, heading, error, busy, onSubmit, onReload, cancelTo }: FormProps) {
  const { t, i18n } = useTranslation();
  const countries = useCountries(false);
  const themes = useThemes();
  const organisations = useOrganisations();
  const countryName = useCountryName();
  const themeName = useCodeName("themes");
  const [form, setForm] = useState(initial);
  const problem = error instanceof ApiError ? error.problem : null;
  const errors = localFieldErrors(problem, t, i18n.language);
  const total = percentageTotal(form, i18n.language);
  const countryOptions = sortByName(countries.data ?? [], (c) => countryName(c.code, c.name)).map((c) => ({
    value: c.code,
    label: countryName(c.code, c.name),
  }));
  const set = <K extends keyof ProjectFormState>(key: K, value: ProjectFormState[K]) =>
    setForm({ ...form, [key]: value });
  const text =
    (key: "code" | "title" | "description" | "planned_start" | "planned_end" | "actual_start" | "actual_end") =>
    (e: { target: { value: string } }) =>
      set(key, e.target.value);

  const [visibilityMissing, setVisibilityMissing] = useState(false);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (form.is_public === null) {
      setVisibilityMissing(true);
      return;
    }
    onSubmit(form);
  }

  return (
    <div className="page">
      <h1>{heading}</h1>
      <form className="form" onSubmit={submit} noValidate aria-label={heading}>
        {problem?.status === 412 ? (
          <ConflictPanel level="h2" title={t("form.conflictTitle")} body={t("form.conflictBody")} onReload={onReload} />
        ) : problem?.status === 403 ? (
          <ErrorPanel error={error} />
        ) : problem ? (
          <ProblemSummary problem={problem} formError={errors._form ?? errors[""]} />
        ) : null}
        <ScopeNotice form={form} />
        <fieldset className="card">
          <legend>{t("project.overview")}</legend>
          <div className="form-grid">
            <Field label={t("fields.code")} error={errors.code} hint={t("form.codeHint")}>
              <input value={form.code} onChange={text("code")} required />
            </Field>
            <Field label={t("fields.status")} error={errors.status}>
              <Select
                value={form.status}
                onChange={(e) => set("status", e.target.value as ProjectFormState["status"])}
                options={PROJECT_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
              />
            </Field>
            <Field label={t("fields.title")} error={errors.title} className="wide">
              <input value={form.title} onChange={text("title")} required lang={form.language} />
            </Field>
            <div className="wide">
              <NarrativeEditor
                label={t("narratives.otherLanguages", { field: t("fields.title") })}
                value={form.titles}
                onChange={(titles) => set("titles", titles)}
                defaultLanguage={form.language}
                showDefault={false}
                maxLength={500}
                error={errors.titles}
              />
            </div>
            <Field label={t("fields.description")} error={errors.description} className="wide">
              <textarea rows={4} value={form.description} onChange={text("description")} lang={form.language} />
            </Field>
            <div className="wide">
              <NarrativeEditor
                label={t("narratives.otherLanguages", { field: t("fields.description") })}
                value={form.descriptions}
                onChange={(descriptions) => set("descriptions", descriptions)}
                defaultLanguage={form.language}
                showDefault={false}
                multiline
                error={errors.descriptions}
              />
            </div>
            <Field label={t("form.plannedStart")} error={errors.planned_start}>
              <input type="date" value={form.planned_start} onChange={text("planned_start")} />
            </Field>
            <Field label={t("form.plannedEnd")} error={errors.planned_end}>
              <input type="date" value={form.planned_end} onChange={text("planned_end")} />
            </Field>
            <Field label={t("form.actualStart")} error={errors.actual_start}>
              <input type="date" value={form.actual_start} onChange={text("actual_start")} />
            </Field>
            <Field label={t("form.actualEnd")} error={errors.actual_end}>
              <input type="date" value={form.actual_end} onChange={text("actual_end")} />
            </Field>
          </div>
        </fieldset>

        <fieldset className="card" aria-describedby={visibilityMissing ? "visibility-error" : undefined}>
          <legend>{t("form.visibility")}</legend>
          {visibilityMissing && form.is_public === null ? (
            <p className="field-error" id="visibility-error" role="alert">
              {t("form.chooseVisibility")}
            </p>
          ) : null}
          {errors.is_public ? <p className="field-error">{errors.is_public}</p> : null}
          <label className="checkbox">
            <input
              type="radio"
              name="is_public"
              checked={form.is_public === true}
              onChange={() => set("is_public", true)}
            />{" "}
            {t("form.isPublic")}
          </label>
          <label className="checkbox">
            <input
              type="radio"
              name="is_public"
              checked={form.is_public === false}
              onChange={() => set("is_public", false)}
            />{" "}
            {t("form.notPublic")}
          </label>
        </fieldset>

        <RowsFieldset
          legend={t("fields.countries")}
          className="card"
          error={errors.countries}
          rows={form.countries}
          onChange={(countries) => set("countries", countries)}
          newRow={() => ({ country_code: "", percentage: "" })}
          addLabel={t("form.addCountry")}
          canRemove={form.countries.length > 1}
          footer={
            <p className={Math.abs(total - 100) < 0.001 ? "muted" : "field-error"} aria-live="polite">
              {t("form.percentageTotal", { total })}
            </p>
          }
          renderRow={(row, index, change) => (
            <>
              <Field
                label={t("fields.country")}
                error={errors[`countries[${index}].country_code`] ?? errors[`countries[${index}]`]}
              >
                <Select
                  value={row.country_code}
                  onChange={(e) => change({ country_code: e.target.value })}
                  empty="—"
                  options={countryOptions}
                />
              </Field>
              <Field label={t("form.percentage")} error={errors[`countries[${index}].percentage`]}>
                <input
                  inputMode="decimal"
                  value={row.percentage}
                  onChange={(e) => change({ percentage: e.target.value })}
                />
              </Field>
            </>
          )}
        />

        <fieldset className="card">
          <legend>{t("fields.themes")}</legend>
          {errors.themes ? <p className="field-error">{errors.themes}</p> : null}
          <div className="checkbox-grid">
            {(themes.data ?? []).map((theme) => (
              <label key={theme.code} className="checkbox">
                <input
                  type="checkbox"
                  checked={form.themes.includes(theme.code)}
                  onChange={(e) =>
                    set(
                      "themes",
                      e.target.checked ? [...form.themes, theme.code] : form.themes.filter((c) => c !== theme.code),
                    )
                  }
                />{" "}
                {themeName(theme.code, theme.name)}
              </label>
            ))}
          </div>
        </fieldset>

        <RowsFieldset
          legend={t("project.partners")}
          className="card"
          error={errors.participants}
          rows={form.participants}
          onChange={(participants) => set("participants", participants)}
          newRow={() => ({ organisation_id: "", role: "implementing" as const })}
          addLabel={t("form.addPartner")}
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
              <Field label={t("fields.organisationRole")} error={errors[`participants[${index}].role`]}>
                <Select
                  value={row.role}
                  onChange={(e) => change({ role: e.target.value as (typeof ROLES)[number] })}
                  options={ROLES.map((role) => ({ value: role, label: t(`participantRoles.${role}`) }))}
                />
              </Field>
            </>
          )}
        />

        <SectorsFieldset rows={form.sectors} onChange={(sectors) => set("sectors", sectors)} errors={errors} />
        <LocationsFieldset
          rows={form.locations}
          onChange={(locations) => set("locations", locations)}
          errors={errors}
          countries={form.countries.map((c) => c.country_code).filter(Boolean)}
        />

        <FormActions
          busy={busy}
          cancel={
            <Link className="button" to={cancelTo}>
              {t("common.cancel")}
            </Link>
          }
        />
      </form>
    </div>
  );
}

export function ProjectCreatePage() {
  const { t, i18n } = useTranslation();
  const { me, status } = useSession();
  const navigate = useNavigate();
  const create = useCreateProject();
  if (status === "restoring") return <Loading />;
  if (!me) return <Navigate to="/login" state={{ from: "/projects/new" }} replace />;
  if (!canCreateProjects(me)) {
    return (
      <div className="page">
        <ErrorPanel
          error={new ApiError({ title: t("errors.forbidden.title"), status: 403, detail: t("projects.newForbidden") })}
        />
      </div>
    );
  }
  return (
    <ProjectForm
      initial={emptyForm()}
      heading={t("projects.new")}
      error={create.error}
      busy={create.isPending}
      cancelTo="/projects"
      onSubmit={(form) =>
        create.mutate(bodyFromForm(form, i18n.language), {
          onSuccess: (project) => navigate(`/projects/${project.id}`),
        })
      }
    />
  );
}

export function ProjectEditPage() {
  const { projectId = "" } = useParams();
  const { t, i18n } = useTranslation();
  const { me, status } = useSession();
  const access = useProjectAccess(projectId, me !== null);
  const navigate = useNavigate();
  const client = useQueryClient();
  const project = useProject(projectId);
  const update = useUpdateProject(projectId);
  const [formKey, setFormKey] = useState(0);
  if (status === "restoring" || project.isPending) return <Loading />;
  if (!me) return <Navigate to="/login" state={{ from: `/projects/${projectId}/edit` }} replace />;
  if (project.isError)
    return (
      <div className="page">
        <ErrorPanel error={project.error} />
      </div>
    );
  if (access.isPending) return <Loading />;
  // Only those who may change the project get its form (a viewer would fill it in for a 403).
  if (access.isError || access.data.can_edit !== true) {
    return (
      <div className="page">
        <ErrorPanel
          error={
            access.error ??
            new ApiError({ title: t("errors.forbidden.title"), status: 403, detail: t("project.editForbidden") })
          }
        />
        <p>
          <Link to={`/projects/${projectId}`}>{t("project.backToProject")}</Link>
        </p>
      </div>
    );
  }
  const { project: current, etag } = project.data;
  return (
    <ProjectForm
      key={`${etag}-${formKey}`}
      initial={formFromProject(current)}
      heading={t("form.editTitle", { code: current.code })}
      error={update.error}
      busy={update.isPending}
      cancelTo={`/projects/${projectId}`}
      onReload={() => {
        update.reset();
        void client
          .invalidateQueries({ queryKey: projectQueryOptions(projectId).queryKey })
          .then(() => setFormKey((k) => k + 1));
      }}
      onSubmit={(form) =>
        update.mutate(
          { body: bodyFromForm(form, i18n.language), etag },
          { onSuccess: () => navigate(`/projects/${projectId}`) },
        )
      }
    />
  );
}

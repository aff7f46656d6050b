import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { useQuery } from "@tanstack/react-query";
import {
  organisationQueryOptions,
  treeOrder,
  useAllOrganisations,
  withDescendants,
  type Organisation,
} from "@/api/organisations";
import { useCountries } from "@/api/reference";
import { ErrorPanel } from "@/components/ErrorPanel";
import { Field } from "@/components/Field";
import { FormActions } from "@/components/FormActions";
import { FormProblem } from "@/components/FormProblem";
import { Loading } from "@/components/Loading";
import { RequireRole } from "@/components/RequireRole";
import { Select } from "@/components/Select";
import { sortByName, useCodeName, useCountryName } from "@/i18n/names";
import { managerOrgRoots } from "@/lib/auth/admin-permissions";
import { hasRole } from "@/lib/auth/permissions";
import { useSession } from "@/lib/auth/session";
import { ApiError, errorFieldErrors } from "@/lib/problem";
import {
  parentChoices,
  useCreateOrganisation,
  useUpdateOrganisation,
} from "@/features/organisations/api/organisation-form";

const ORG_TYPES = ["10", "11", "15", "21", "22", "23", "24", "30", "40", "60", "70", "80", "90"];

function OrganisationForm({
  org,
  all,
  initialParent,
}: {
  org?: Organisation;
  all: Organisation[];
  initialParent: string;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { me } = useSession();
  const countries = useCountries(false);
  const countryName = useCountryName();
  const orgType = useCodeName("orgTypes");
  const create = useCreateOrganisation();
  const update = useUpdateOrganisation();
  const mutation = org ? update : create;
  const [name, setName] = useState(org?.name ?? "");
  const [acronym, setAcronym] = useState(org?.acronym ?? "");
  const [iati, setIati] = useState(org?.iati_identifier ?? "");
  const [type, setType] = useState(org?.org_type ?? "10");
  const [country, setCountry] = useState(org?.country_code ?? "");
  const [parent, setParent] = useState(org?.parent_id ?? initialParent);
  const [department, setDepartment] = useState(org?.is_department ?? false);
  const [description, setDescription] = useState(org?.description ?? "");
  const errors = errorFieldErrors(mutation.error);
  // Managers add and move organisations only within their grants' organisations (and those below them).
  const roots = managerOrgRoots(me);
  const reach = roots === null ? null : withDescendants(all, roots);
  const below = org ? withDescendants(all, [org.id]) : new Set<string>();
  const allowed = new Set(parentChoices(all, reach, org?.id ?? null, below).map((o) => o.id));
  const options = treeOrder(all)
    .filter(({ org: o }) => allowed.has(o.id) || o.id === org?.parent_id)
    .map(({ org: o, depth }) => ({
      value: o.id,
      label: `${"— ".repeat(depth)}${o.acronym ? `${o.acronym} — ` : ""}${o.name}`,
    }));
  const heading = org ? t("orgForm.edit", { name: org.name }) : t("orgForm.new");

  function submit(event: FormEvent) {
    event.preventDefault();
    const body = {
      name: name.trim(),
      acronym: acronym.trim() || null,
      iati_identifier: iati.trim() || null,
      org_type: type,
      country_code: country || null,
      parent_id: parent || null,
      is_department: Boolean(parent) && department,
      description: description.trim() || null,
      is_illustrative: org?.is_illustrative ?? false,
      // Not edited here (issue 13's fields): kept as they are, the API's defaults for a new organisation.
      default_language: org?.default_language ?? "en",
      needs_review: org?.needs_review ?? false,
    };
    if (org) update.mutate({ org, body }, { onSuccess: (saved) => navigate(`/organisations/${saved.id}`) });
    else create.mutate(body, { onSuccess: (saved) => navigate(`/organisations/${saved.id}`) });
  }

  return (
    <div className="page">
      <h1>{heading}</h1>
      <form className="form" onSubmit={submit} aria-label={heading} noValidate>
        <FormProblem error={mutation.error} what={t("orgForm.thisOrganisation")} />
        <fieldset className="card">
          <legend>{t("orgForm.what")}</legend>
          <div className="form-grid">
            <Field label={t("fields.name")} error={errors.name} className="wide">
              <input value={name} onChange={(e) => setName(e.target.value)} />
            </Field>
            <Field label={t("organisations.acronym")} error={errors.acronym}>
              <input value={acronym} onChange={(e) => setAcronym(e.target.value)} />
            </Field>
            <Field label={t("orgForm.iati")} error={errors.iati_identifier} hint={t("orgForm.iatiHint")}>
              <input value={iati} onChange={(e) => setIati(e.target.value)} />
            </Field>
            <Field label={t("fields.type")} error={errors.org_type}>
              <Select
                value={type}
                onChange={(e) => setType(e.target.value)}
                options={ORG_TYPES.map((c) => ({ value: c, label: orgType(c) }))}
              />
            </Field>
            <Field label={t("fields.country")} error={errors.country_code}>
              <Select
                value={country}
                onChange={(e) => setCountry(e.target.value)}
                empty="—"
                options={sortByName(countries.data ?? [], (c) => countryName(c.code, c.name)).map((c) => ({
                  value: c.code,
                  label: countryName(c.code, c.name),
                }))}
              />
            </Field>
            <Field label={t("fields.description")} error={errors.description} className="wide">
              <textarea rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />
            </Field>
          </div>
        </fieldset>
        <fieldset className="card">
          <legend>{t("orgForm.place")}</legend>
          <Field
            label={org ? t("orgForm.parentMove") : t("orgForm.parent")}
            error={errors.parent_id}
            hint={roots === null ? t("orgForm.parentHintAll") : t("orgForm.parentHintScoped")}
          >
            <Select
              value={parent}
              onChange={(e) => setParent(e.target.value)}
              empty={t("orgForm.noParent")}
              options={options}
            />
          </Field>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={department && Boolean(parent)}
              disabled={!parent}
              onChange={(e) => setDepartment(e.target.checked)}
              aria-describedby="dept-hint"
            />{" "}
            {t("orgForm.department")}
          </label>
          <p id="dept-hint" className="hint">
            {t("orgForm.departmentHint")}
          </p>
          {errors.is_department ? <p className="field-error">{errors.is_department}</p> : null}
        </fieldset>
        <FormActions
          busy={mutation.isPending}
          cancel={
            <Link className="button" to={org ? `/organisations/${org.id}` : "/organisations"}>
              {t("common.cancel")}
            </Link>
          }
        />
      </form>
    </div>
  );
}

function Loaded({ id }: { id?: string }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const [params] = useSearchParams();
  const all = useAllOrganisations();
  const org = useQuery({ ...organisationQueryOptions(id ?? ""), enabled: Boolean(id) });
  if (all.isPending || (id && org.isPending)) return <Loading />;
  if (all.isError)
    return (
      <div className="page">
        <ErrorPanel error={all.error} />
      </div>
    );
  if (id && org.isError)
    return (
      <div className="page">
        <ErrorPanel error={org.error} />
      </div>
    );
  const current = id ? org.data : undefined;
  const roots = managerOrgRoots(me);
  if (current && roots !== null && !withDescendants(all.data, roots).has(current.id)) {
    return (
      <div className="page">
        <ErrorPanel
          error={new ApiError({ title: t("errors.forbidden.title"), status: 403, detail: t("orgForm.outsideScope") })}
        />
      </div>
    );
  }
  return (
    <OrganisationForm
      key={current?.version ?? "new"}
      org={current}
      all={all.data}
      initialParent={params.get("parent") ?? ""}
    />
  );
}

/** A new organisation (optionally below another: ?parent=), or a change to one, moving it included (managers). */
export function OrganisationFormPage() {
  const { orgId } = useParams();
  const { t } = useTranslation();
  return (
    <RequireRole allowed={(me) => hasRole(me, "manager")} why={t("orgForm.managersOnly")}>
      <Loaded id={orgId} />
    </RequireRole>
  );
}

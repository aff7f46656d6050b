import { useTranslation } from "react-i18next";
import { treeOrder, useAllOrganisations } from "@/api/organisations";
import { useCountries } from "@/api/reference";
import { Field } from "@/components/Field";
import { Select } from "@/components/Select";
import { sortByName, useCountryName } from "@/i18n/names";
import type { GrantIn } from "@/features/admin/api/admin";

export type Scope = "global" | "organisation" | "country";
export interface GrantRow {
  role: GrantIn["role"];
  scope: Scope;
  organisation_id: string;
  country_code: string;
}

const ROLES: GrantIn["role"][] = ["viewer", "reporter", "manager", "admin"];

export function rowsFromGrants(
  grants: readonly { role: GrantIn["role"]; organisation_id?: string | null; country_code?: string | null }[],
): GrantRow[] {
  return grants.map((g) => ({
    role: g.role,
    scope: g.organisation_id ? "organisation" : g.country_code ? "country" : "global",
    organisation_id: g.organisation_id ?? "",
    country_code: g.country_code ?? "",
  }));
}

export function grantsFromRows(rows: readonly GrantRow[]): GrantIn[] {
  return rows.map((r) => ({
    role: r.role,
    organisation_id: r.scope === "organisation" ? r.organisation_id || null : null,
    country_code: r.scope === "country" ? r.country_code || null : null,
  }));
}

/** Role grants, each everywhere, for one organisation (and those below it) or for one country. */
export function GrantsEditor({
  rows,
  onChange,
  errors,
}: {
  rows: GrantRow[];
  onChange: (rows: GrantRow[]) => void;
  errors: Record<string, string>;
}) {
  const { t } = useTranslation();
  const organisations = useAllOrganisations();
  const countries = useCountries(false);
  const countryName = useCountryName();
  const orgOptions = treeOrder(organisations.data ?? []).map(({ org, depth }) => ({
    value: org.id,
    label: `${"— ".repeat(depth)}${org.acronym ? `${org.acronym} — ` : ""}${org.name}`,
  }));
  const countryOptions = sortByName(countries.data ?? [], (c) => countryName(c.code, c.name)).map((c) => ({
    value: c.code,
    label: countryName(c.code, c.name),
  }));
  const change = (index: number, patch: Partial<GrantRow>) =>
    onChange(rows.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  return (
    <fieldset className="card">
      <legend>{t("users.grants")}</legend>
      <p className="hint">{t("users.grantsHint")}</p>
      {errors.grants ? <p className="field-error">{errors.grants}</p> : null}
      {rows.map((row, index) => (
        <div className="row-fields" key={index} role="group" aria-label={t("users.grantN", { n: index + 1 })}>
          <Field label={t("users.role")} error={errors[`grants[${index}].role`]}>
            <Select
              value={row.role}
              onChange={(e) => {
                const role = e.target.value as GrantRow["role"];
                change(index, role === "admin" ? { role, scope: "global" } : { role });
              }}
              options={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
            />
          </Field>
          <Field label={t("users.scope")} error={errors[`grants[${index}]`]}>
            <Select
              value={row.scope}
              disabled={row.role === "admin"}
              onChange={(e) => change(index, { scope: e.target.value as Scope })}
              options={(["global", "organisation", "country"] as const).map((s) => ({
                value: s,
                label: t(`users.scopes.${s}`),
              }))}
            />
          </Field>
          {row.scope === "organisation" ? (
            <Field label={t("fields.organisation")} error={errors[`grants[${index}].organisation_id`]}>
              <Select
                value={row.organisation_id}
                onChange={(e) => change(index, { organisation_id: e.target.value })}
                empty="—"
                options={orgOptions}
              />
            </Field>
          ) : null}
          {row.scope === "country" ? (
            <Field label={t("fields.country")} error={errors[`grants[${index}].country_code`]}>
              <Select
                value={row.country_code}
                onChange={(e) => change(index, { country_code: e.target.value })}
                empty="—"
                options={countryOptions}
              />
            </Field>
          ) : null}
          <button type="button" className="link-button" onClick={() => onChange(rows.filter((_, i) => i !== index))}>
            {t("users.removeGrant", { n: index + 1 })}
          </button>
        </div>
      ))}
      <button
        type="button"
        onClick={() => onChange([...rows, { role: "viewer", scope: "global", organisation_id: "", country_code: "" }])}
      >
        {t("users.addGrant")}
      </button>
    </fieldset>
  );
}

import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { sortByName, useCodeName, useCountryName } from "@/i18n/names";
import { useOrganisations } from "@/api/organisations";
import { PROJECT_STATUSES, type ProjectListQuery } from "@/api/projects";
import { useCountries, useRegions, useSectors, useThemes } from "@/api/reference";
import { Field } from "@/components/Field";
import { Select, type SelectOption } from "@/components/Select";

interface Props {
  query: ProjectListQuery;
  onChange: (next: ProjectListQuery) => void;
}

const ROLES = ["funding", "accountable", "extending", "implementing", "beneficiary"] as const;

/** The filters that take a list in the API, of which the form sets one value. */
type ListedFilter = "region" | "organisation" | "theme" | "sector" | "status";

interface Choice {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  empty: string;
  options: SelectOption[];
}

export function ProjectFilters({ query, onChange }: Props) {
  const { t } = useTranslation();
  const countries = useCountries(false);
  const regions = useRegions();
  const themes = useThemes();
  const sectors = useSectors();
  const organisations = useOrganisations();
  const countryName = useCountryName();
  const regionName = useCodeName("regions");
  const themeName = useCodeName("themes");
  const sectorName = useCodeName("sectors");
  const [q, setQ] = useState(query.q ?? "");
  const [yearFrom, setYearFrom] = useState(query.year_from ? String(query.year_from) : "");
  const [yearTo, setYearTo] = useState(query.year_to ? String(query.year_to) : "");
  // The typed fields follow the URL when it changes from elsewhere (back, a link, "Clear"), without remounting the
  // form: React's "adjust state while rendering" (https://react.dev/learn/you-might-not-need-an-effect).
  const fromUrl = `${query.q ?? ""}|${query.year_from ?? ""}|${query.year_to ?? ""}`;
  const [seen, setSeen] = useState(fromUrl);
  if (seen !== fromUrl) {
    setSeen(fromUrl);
    setQ(query.q ?? "");
    setYearFrom(query.year_from ? String(query.year_from) : "");
    setYearTo(query.year_to ? String(query.year_to) : "");
  }

  const set = (patch: Partial<ProjectListQuery>) => onChange({ ...query, ...patch, page: 1 });
  const one = (value: string) => (value ? [value] : undefined);

  function submit(event: FormEvent) {
    event.preventDefault();
    set({ q: q.trim() || undefined, year_from: Number(yearFrom) || undefined, year_to: Number(yearTo) || undefined });
  }

  const sorted = sortByName(countries.data ?? [], (c) => countryName(c.code, c.name));
  const programme = sorted.filter((c) => c.is_programme_country);
  const others = sorted.filter((c) => !c.is_programme_country);
  // The one-choice filters after the country, in their order on the page: each a select whose first choice is "all".
  const listed = (key: ListedFilter) => ({
    value: query[key]?.[0] ?? "",
    onChange: (value: string) => set({ [key]: one(value) }),
    empty: t("common.all"),
  });
  const choices: Choice[] = [
    {
      id: "f-region",
      label: t("fields.region"),
      ...listed("region"),
      options: (regions.data ?? []).map((r) => ({ value: r.code, label: regionName(r.code, r.name) })),
    },
    {
      id: "f-org",
      label: t("fields.organisation"),
      ...listed("organisation"),
      options: (organisations.data?.items ?? []).map((o) => ({
        value: o.id,
        label: o.acronym ? `${o.acronym} — ${o.name}` : o.name,
      })),
    },
    {
      id: "f-role",
      label: t("fields.organisationRole"),
      value: query.organisation_role ?? "",
      onChange: (value) => set({ organisation_role: (value || undefined) as ProjectListQuery["organisation_role"] }),
      empty: t("common.any"),
      options: ROLES.map((role) => ({ value: role, label: t(`participantRoles.${role}`) })),
    },
    {
      id: "f-theme",
      label: t("fields.theme"),
      ...listed("theme"),
      options: (themes.data ?? []).map((theme) => ({ value: theme.code, label: themeName(theme.code, theme.name) })),
    },
    {
      id: "f-sector",
      label: t("fields.sector"),
      ...listed("sector"),
      options: (sectors.data ?? []).map((s) => ({ value: s.code, label: `${s.code} — ${sectorName(s.code, s.name)}` })),
    },
    {
      id: "f-status",
      label: t("fields.status"),
      ...listed("status"),
      options: PROJECT_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })),
    },
  ];

  return (
    <form className="filters card" onSubmit={submit} role="search" aria-label={t("projects.filters")}>
      <Field id="f-q" label={t("projects.search")} className="grow">
        <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t("projects.searchHint")} />
      </Field>
      <Field id="f-country" label={t("fields.country")}>
        <select value={query.country?.[0] ?? ""} onChange={(e) => set({ country: one(e.target.value) })}>
          <option value="">{t("common.all")}</option>
          <optgroup label={t("countries.programme")}>
            {programme.map((c) => (
              <option key={c.code} value={c.code}>
                {countryName(c.code, c.name)}
              </option>
            ))}
          </optgroup>
          <optgroup label={t("countries.other")}>
            {others.map((c) => (
              <option key={c.code} value={c.code}>
                {countryName(c.code, c.name)}
              </option>
            ))}
          </optgroup>
        </select>
      </Field>
      {choices.map(({ id, label, onChange, ...select }) => (
        <Field key={id} id={id} label={label}>
          <Select {...select} onChange={(e) => onChange(e.target.value)} />
        </Field>
      ))}
      <Field id="f-from" label={t("projects.yearFrom")} className="small">
        <input inputMode="numeric" pattern="[0-9]{4}" value={yearFrom} onChange={(e) => setYearFrom(e.target.value)} />
      </Field>
      <Field id="f-to" label={t("projects.yearTo")} className="small">
        <input inputMode="numeric" pattern="[0-9]{4}" value={yearTo} onChange={(e) => setYearTo(e.target.value)} />
      </Field>
      <div className="filter-actions">
        <button type="submit" className="primary">
          {t("projects.apply")}
        </button>
        <button
          type="button"
          onClick={() => {
            setQ("");
            setYearFrom("");
            setYearTo("");
            onChange({ page: 1, page_size: query.page_size, sort: query.sort });
          }}
        >
          {t("projects.clear")}
        </button>
      </div>
    </form>
  );
}

import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { sortByName, useCodeName, useCountryName } from "@/i18n/names";
import { useOrganisations } from "@/api/organisations";
import { PROJECT_STATUSES, type ProjectListQuery } from "@/api/projects";
import { useCountries, useRegions, useSectors, useThemes } from "@/api/reference";

interface Props {
  query: ProjectListQuery;
  onChange: (next: ProjectListQuery) => void;
}

const ROLES = ["funding", "accountable", "extending", "implementing", "beneficiary"] as const;

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

  return (
    <form className="filters card" onSubmit={submit} role="search" aria-label={t("projects.filters")}>
      <div className="field grow">
        <label htmlFor="f-q">{t("projects.search")}</label>
        <input
          id="f-q"
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder={t("projects.searchHint")}
        />
      </div>
      <div className="field">
        <label htmlFor="f-country">{t("fields.country")}</label>
        <select id="f-country" value={query.country?.[0] ?? ""} onChange={(e) => set({ country: one(e.target.value) })}>
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
      </div>
      <div className="field">
        <label htmlFor="f-region">{t("fields.region")}</label>
        <select id="f-region" value={query.region?.[0] ?? ""} onChange={(e) => set({ region: one(e.target.value) })}>
          <option value="">{t("common.all")}</option>
          {(regions.data ?? []).map((r) => (
            <option key={r.code} value={r.code}>
              {regionName(r.code, r.name)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-org">{t("fields.organisation")}</label>
        <select
          id="f-org"
          value={query.organisation?.[0] ?? ""}
          onChange={(e) => set({ organisation: one(e.target.value) })}
        >
          <option value="">{t("common.all")}</option>
          {(organisations.data?.items ?? []).map((o) => (
            <option key={o.id} value={o.id}>
              {o.acronym ? `${o.acronym} — ${o.name}` : o.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-role">{t("fields.organisationRole")}</label>
        <select
          id="f-role"
          value={query.organisation_role ?? ""}
          onChange={(e) =>
            set({ organisation_role: (e.target.value || undefined) as ProjectListQuery["organisation_role"] })
          }
        >
          <option value="">{t("common.any")}</option>
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {t(`participantRoles.${role}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-theme">{t("fields.theme")}</label>
        <select id="f-theme" value={query.theme?.[0] ?? ""} onChange={(e) => set({ theme: one(e.target.value) })}>
          <option value="">{t("common.all")}</option>
          {(themes.data ?? []).map((theme) => (
            <option key={theme.code} value={theme.code}>
              {themeName(theme.code, theme.name)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-sector">{t("fields.sector")}</label>
        <select id="f-sector" value={query.sector?.[0] ?? ""} onChange={(e) => set({ sector: one(e.target.value) })}>
          <option value="">{t("common.all")}</option>
          {(sectors.data ?? []).map((s) => (
            <option key={s.code} value={s.code}>
              {s.code} — {sectorName(s.code, s.name)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-status">{t("fields.status")}</label>
        <select
          id="f-status"
          value={query.status?.[0] ?? ""}
          onChange={(e) =>
            set({ status: e.target.value ? [e.target.value as (typeof PROJECT_STATUSES)[number]] : undefined })
          }
        >
          <option value="">{t("common.all")}</option>
          {PROJECT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field small">
        <label htmlFor="f-from">{t("projects.yearFrom")}</label>
        <input
          id="f-from"
          inputMode="numeric"
          pattern="[0-9]{4}"
          value={yearFrom}
          onChange={(e) => setYearFrom(e.target.value)}
        />
      </div>
      <div className="field small">
        <label htmlFor="f-to">{t("projects.yearTo")}</label>
        <input
          id="f-to"
          inputMode="numeric"
          pattern="[0-9]{4}"
          value={yearTo}
          onChange={(e) => setYearTo(e.target.value)}
        />
      </div>
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

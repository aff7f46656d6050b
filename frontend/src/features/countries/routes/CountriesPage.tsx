import { useTranslation } from "react-i18next";
import { sortByName, useCodeName, useCountryName } from "@/i18n/names";
import { Link } from "react-router";
import { useCountries, useRegions } from "@/api/reference";
import { ErrorPanel } from "@/components/ErrorPanel";
import { Loading } from "@/components/Loading";

export function CountriesPage() {
  const { t } = useTranslation();
  const countries = useCountries(true);
  const regions = useRegions();
  const countryName = useCountryName();
  const regionLabel = useCodeName("regions");
  if (countries.isPending || regions.isPending) return <Loading />;
  if (countries.isError)
    return (
      <div className="page">
        <ErrorPanel error={countries.error} />
      </div>
    );
  const regionName = new Map((regions.data ?? []).map((r) => [r.code, r.name]));
  const groups = new Map<string, typeof countries.data>();
  for (const c of countries.data) {
    const key = c.region ?? "";
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return (
    <div className="page">
      <h1>{t("countries.title")}</h1>
      <div className="region-grid">
        {[...groups.entries()].map(([region, list]) => (
          <section key={region} className="card">
            <h2>{region ? regionLabel(region, regionName.get(region)) : t("countries.other")}</h2>
            <ul>
              {sortByName(list, (c) => countryName(c.code, c.name)).map((c) => (
                <li key={c.code}>
                  <Link to={`/countries/${c.code}`}>{countryName(c.code, c.name)}</Link>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </div>
  );
}

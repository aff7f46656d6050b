import { useTranslation } from "react-i18next";
import { useCodeName, useCountryName } from "@/i18n/names";
import { Link, useParams } from "react-router";
import { useFundingSummary } from "@/api/funding";
import { useAllProjects } from "@/api/projects";
import { useCountries } from "@/api/reference";
import { useContextSeries } from "@/api/reporting";
import { RangeBand } from "@/components/RangeBand";
import { formatNumber } from "@/lib/format";
import { ErrorPanel } from "@/components/ErrorPanel";
import { Loading } from "@/components/Loading";
import { EurTotal } from "@/components/Money";
import { ProjectLinks } from "@/components/lists/ProjectLinks";

export function CountryPage() {
  const { code = "" } = useParams();
  const { t } = useTranslation();
  const countries = useCountries(false);
  const projects = useAllProjects({ country: [code] });
  const byYear = useFundingSummary({ country: [code], group_by: ["year"] });
  const series = useContextSeries(code.toUpperCase());
  const { i18n } = useTranslation();
  const countryName = useCountryName();
  const unitName = useCodeName("units");
  const country = countries.data?.find((c) => c.code === code.toUpperCase());
  return (
    <div className="page">
      <h1>{countryName(code, country?.name)}</h1>
      <section className="card">
        <h2>{t("countries.funding")}</h2>
        {byYear.isPending ? (
          <Loading />
        ) : byYear.isError ? (
          <ErrorPanel error={byYear.error} />
        ) : (
          <>
            <p>
              {t("countries.total")}:{" "}
              <EurTotal eur={byYear.data.total.eur_amount} notConverted={byYear.data.total.not_converted ?? []} />
            </p>
            <table className="data-table compact">
              <thead>
                <tr>
                  <th scope="col">{t("fields.year")}</th>
                  <th scope="col" className="num">
                    EUR
                  </th>
                </tr>
              </thead>
              <tbody>
                {[...byYear.data.rows]
                  .sort((a, b) => (a.year ?? 0) - (b.year ?? 0))
                  .map((row) => (
                    <tr key={row.year ?? "none"}>
                      <td>{row.year ?? "—"}</td>
                      <td className="num">
                        <EurTotal eur={row.eur_amount} notConverted={row.not_converted ?? []} />
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
            <p className="muted">{t("countries.shareNote")}</p>
          </>
        )}
      </section>
      <section className="card" aria-labelledby="context-h">
        <h2 id="context-h">{t("context.title")}</h2>
        {series.isPending ? (
          <Loading />
        ) : series.isError ? (
          <p className="muted">{t("context.unavailable")}</p>
        ) : series.data.items.length === 0 ? (
          <p className="muted">{t("context.none")}</p>
        ) : (
          <table className="data-table compact" data-testid="context-series">
            <thead>
              <tr>
                <th scope="col">{t("context.series")}</th>
                <th scope="col">{t("context.periodHeader")}</th>
                <th scope="col" className="num">
                  {t("context.value")}
                </th>
                <th scope="col">{t("context.sourceHeader")}</th>
              </tr>
            </thead>
            <tbody>
              {series.data.items.flatMap((s) =>
                s.values.map((v) => (
                  <tr key={`${s.code}-${v.period}`}>
                    <td>{s.name}</td>
                    <td>{v.period}</td>
                    <td className="num">
                      {v.low !== null && v.low !== undefined && v.high !== null && v.high !== undefined ? (
                        <>
                          {formatNumber(i18n.language, v.low)}–{formatNumber(i18n.language, v.high)}
                          <RangeBand low={Number(v.low)} high={Number(v.high)} unit={s.unit} />
                        </>
                      ) : (
                        `${formatNumber(i18n.language, v.value ?? 0, 2)} ${s.unit === "percent" ? "%" : s.unit ? unitName(s.unit) : ""}`
                      )}
                    </td>
                    <td className="small">{v.source}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        )}
      </section>
      <ProjectLinks projects={projects}>
        <p>
          <Link to={`/projects?country=${code}`}>{t("countries.openInList")}</Link>
        </p>
      </ProjectLinks>
    </div>
  );
}

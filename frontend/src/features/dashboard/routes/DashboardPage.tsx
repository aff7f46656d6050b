import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useFundingSummary } from "@/api/funding";
import { useProjectCounts } from "@/api/projects";
import { ErrorPanel } from "@/components/ErrorPanel";
import { Loading } from "@/components/Loading";
import { EurTotal } from "@/components/Money";
import { useCodeName } from "@/i18n/names";
import { formatNumber } from "@/lib/format";
import { hasRole } from "@/lib/auth/permissions";
import { useSession } from "@/lib/auth/session";
import { aggregateByCountry, pivotFunderYear } from "@/features/dashboard/api/aggregate";
import { dashboardQueries } from "@/features/dashboard/api/queries";
import { FundingFilters } from "@/components/FundingFilters";
import { parseFundingFilters, writeFundingFilters } from "@/lib/funding-filters";
import { AwaitingApproval } from "@/features/dashboard/components/AwaitingApproval";
import { ContextHighlights } from "@/features/dashboard/components/ContextHighlights";
import { CountBars } from "@/features/dashboard/components/CountBars";
import { FundingMap } from "@/features/dashboard/components/FundingMap";
// The chart library is the heaviest dependency: it loads beside the data instead of before the page.
const FunderYearChart = lazy(async () => ({
  default: (await import("@/features/dashboard/components/FunderYearChart")).FunderYearChart,
}));

/**
 * Three requests in parallel (project counts, EUR by country, EUR by funder and year) plus the map's shapes, all
 * started by the route's loader while this chunk downloads; each part of the page renders as soon as its data is in.
 */
export function DashboardPage() {
  const { t, i18n } = useTranslation();
  // The explorer's filters, kept in the URL: the dashboard's figures follow them.
  const [params, setParams] = useSearchParams();
  const filters = parseFundingFilters(params);
  const queries = dashboardQueries(filters);
  const counts = useProjectCounts(queries.counts);
  const byCountry = useFundingSummary(queries.byCountry);
  const byFunderYear = useFundingSummary(queries.byFunderYear);
  const themeName = useCodeName("themes");
  const { me } = useSession();

  const error = counts.error ?? byCountry.error;
  if (error)
    return (
      <div className="page">
        <ErrorPanel error={error} />
      </div>
    );
  const countries =
    byCountry.data && counts.data ? aggregateByCountry(byCountry.data.rows, counts.data.by.country) : null;
  const total = byCountry.data?.total;
  const themeRows = counts.data?.by.theme ?? [];
  const statusRows = counts.data?.by.status ?? [];

  return (
    <div className="page dashboard">
      <h1>{t("dashboard.title")}</h1>
      <FundingFilters
        filters={filters}
        label={t("explorer.filters")}
        onChange={(next) =>
          setParams(writeFundingFilters(next, null, params), { replace: true, preventScrollReset: true })
        }
      />
      <div className="stat-cards">
        <div className="card stat">
          <p className="stat-label">{t("dashboard.projects")}</p>
          <p className="stat-value" data-testid="stat-projects">
            {counts.data ? formatNumber(i18n.language, counts.data.total) : "…"}
          </p>
        </div>
        <div className="card stat">
          <p className="stat-label">{t("dashboard.disbursed")}</p>
          <p className="stat-value" data-testid="stat-eur">
            {total ? <EurTotal eur={total.eur_amount} notConverted={total.not_converted ?? []} whole /> : "…"}
          </p>
        </div>
        <div className="card stat">
          <p className="stat-label">{t("dashboard.countries")}</p>
          <p className="stat-value">
            {countries ? formatNumber(i18n.language, countries.filter((c) => c.projects > 0).length) : "…"}
          </p>
        </div>
      </div>
      {hasRole(me, "manager") ? <AwaitingApproval /> : null}
      <section className="card" aria-labelledby="map-h">
        <h2 id="map-h">{t("dashboard.map")}</h2>
        {countries ? <FundingMap values={countries} /> : <Loading />}
      </section>
      <ContextHighlights />
      <section className="card" aria-labelledby="fy-h">
        <h2 id="fy-h">{t("dashboard.fundingByFunderYear")}</h2>
        <p className="muted small">{t("dashboard.funderNote")}</p>
        {byFunderYear.isError ? (
          <ErrorPanel error={byFunderYear.error} />
        ) : byFunderYear.data ? (
          <Suspense fallback={<Loading />}>
            <FunderYearChart data={pivotFunderYear(byFunderYear.data.rows, t("dashboard.unknownFunder"))} />
          </Suspense>
        ) : (
          <Loading />
        )}
      </section>
      <div className="two-columns">
        <section className="card" aria-labelledby="theme-h">
          <h2 id="theme-h">{t("dashboard.byTheme")}</h2>
          {counts.data ? (
            <CountBars
              caption={t("fields.theme")}
              rows={themeRows.map((r) => ({ key: r.key, label: themeName(r.key), count: r.projects }))}
            />
          ) : (
            <Loading />
          )}
        </section>
        <section className="card" aria-labelledby="status-h">
          <h2 id="status-h">{t("dashboard.byStatus")}</h2>
          {counts.data ? (
            <CountBars
              caption={t("fields.status")}
              rows={statusRows.map((r) => ({ key: r.key, label: t(`status.${r.key}`), count: r.projects }))}
            />
          ) : (
            <Loading />
          )}
          <p>
            <Link to="/projects">{t("dashboard.allProjects")}</Link>
          </p>
        </section>
      </div>
    </div>
  );
}

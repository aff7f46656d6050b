import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useFundingSummary } from "@/api/funding";
import { useAllProjects } from "@/api/projects";
import { namesByCode, useThemes } from "@/api/reference";
import { ErrorPanel } from "@/components/ErrorPanel";
import { Loading } from "@/components/Loading";
import { EurTotal } from "@/components/Money";
import { formatNumber } from "@/lib/format";
import { aggregateByCountry, countBy, pivotFunderYear } from "@/features/dashboard/api/aggregate";
import { useAtlas } from "@/features/dashboard/api/atlas";
import { hasRole } from "@/lib/auth/permissions";
import { useSession } from "@/lib/auth/session";
import { AwaitingApproval } from "@/features/dashboard/components/AwaitingApproval";
import { ContextHighlights } from "@/features/dashboard/components/ContextHighlights";
import { CountBars } from "@/features/dashboard/components/CountBars";
import { FundingMap } from "@/features/dashboard/components/FundingMap";
// The chart library is the heaviest dependency: it loads beside the data instead of before the page.
const FunderYearChart = lazy(async () => ({ default: (await import("@/features/dashboard/components/FunderYearChart")).FunderYearChart }));

export function DashboardPage() {
  const { t, i18n } = useTranslation();
  const projects = useAllProjects();
  const byCountry = useFundingSummary({ group_by: ["country"] });
  const byFunderYear = useFundingSummary({ group_by: ["funder", "year"] });
  const themes = namesByCode(useThemes().data);
  const { me } = useSession();
  useAtlas(); // start loading the map's shapes with the data, not after it

  const error = projects.error ?? byCountry.error ?? byFunderYear.error;
  if (error) return <div className="page"><ErrorPanel error={error} /></div>;
  if (!projects.data || !byCountry.data || !byFunderYear.data) return <div className="page"><Loading /></div>;

  const countries = aggregateByCountry(byCountry.data.rows, projects.data);
  const themeCounts = countBy(projects.data, (p) => p.themes);
  const statusCounts = countBy(projects.data, (p) => [p.status]);
  const total = byCountry.data.total;

  return (
    <div className="page dashboard">
      <h1>{t("dashboard.title")}</h1>
      <div className="stat-cards">
        <div className="card stat">
          <p className="stat-label">{t("dashboard.projects")}</p>
          <p className="stat-value" data-testid="stat-projects">{formatNumber(i18n.language, projects.data.length)}</p>
        </div>
        <div className="card stat">
          <p className="stat-label">{t("dashboard.disbursed")}</p>
          <p className="stat-value" data-testid="stat-eur">
            <EurTotal eur={total.eur_amount} notConverted={total.not_converted ?? []} compact />
          </p>
        </div>
        <div className="card stat">
          <p className="stat-label">{t("dashboard.countries")}</p>
          <p className="stat-value">{formatNumber(i18n.language, countries.filter((c) => c.projects > 0).length)}</p>
        </div>
      </div>
      {hasRole(me, "manager") ? <AwaitingApproval projects={projects.data} /> : null}
      <ContextHighlights />
      <section className="card" aria-labelledby="map-h">
        <h2 id="map-h">{t("dashboard.map")}</h2>
        <FundingMap values={countries} />
      </section>
      <section className="card" aria-labelledby="fy-h">
        <h2 id="fy-h">{t("dashboard.fundingByFunderYear")}</h2>
        <Suspense fallback={<Loading />}>
          <FunderYearChart data={pivotFunderYear(byFunderYear.data.rows, t("dashboard.unknownFunder"))} />
        </Suspense>
      </section>
      <div className="two-columns">
        <section className="card" aria-labelledby="theme-h">
          <h2 id="theme-h">{t("dashboard.byTheme")}</h2>
          <CountBars
            caption={t("fields.theme")}
            rows={[...themeCounts.entries()]
              .sort((a, b) => b[1] - a[1])
              .map(([code, count]) => ({ key: code, label: themes.get(code) ?? code, count }))}
          />
        </section>
        <section className="card" aria-labelledby="status-h">
          <h2 id="status-h">{t("dashboard.byStatus")}</h2>
          <CountBars
            caption={t("fields.status")}
            rows={[...statusCounts.entries()]
              .sort((a, b) => b[1] - a[1])
              .map(([status, count]) => ({ key: status, label: t(`status.${status}`), count }))}
          />
          <p>
            <Link to="/projects">{t("dashboard.allProjects")}</Link>
          </p>
        </section>
      </div>
    </div>
  );
}

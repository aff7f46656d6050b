import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useFramework, useProgress } from "@/api/reporting";
import { ErrorPanel } from "@/components/ErrorPanel";
import { Loading } from "@/components/Loading";
import { ProgressBars } from "@/components/ProgressBars";
import { formatDate } from "@/lib/format";
import { useIndicators, useReport } from "@/features/reporting/api/report";
import { ReportEditor } from "@/features/reporting/components/ReportEditor";
import { ReportHistory } from "@/features/reporting/components/ReportHistory";

export function ReportPage() {
  const { reportId = "" } = useParams();
  const { t, i18n } = useTranslation();
  const report = useReport(reportId);
  // The project is known once the report is: until then nothing is asked about it.
  const projectId = report.data?.report.project_id ?? "";
  const framework = useFramework(projectId);
  const ids = [...new Set((framework.data?.results ?? []).flatMap((r) => r.indicators.map((pi) => pi.indicator.id)))];
  const indicatorQueries = useIndicators(ids);
  const progress = useProgress(projectId);
  const indicators = new Map(indicatorQueries.flatMap((q) => (q.data ? [[q.data.id, q.data] as const] : [])));
  const indicatorNames = new Map(
    (framework.data?.results ?? []).flatMap((r) => r.indicators.map((pi) => [pi.id, pi.indicator.name] as const)),
  );

  if (report.isPending) return <Loading />;
  if (report.isError) {
    return (
      <div className="page">
        <ErrorPanel error={report.error} />
      </div>
    );
  }
  const r = report.data.report;
  return (
    <div className="page">
      <p>
        <Link to={`/projects/${r.project_id}#reports`}>{t("reports.backToProject")}</Link>
        {" · "}
        <Link to="/inbox">{t("inbox.title")}</Link>
      </p>
      <h1>{t("reports.heading", { period: r.period })}</h1>
      <p>
        <span className={`badge report-${r.status}`} data-testid="report-status">
          {t(`reportStatus.${r.status}`)}
        </span>{" "}
        <span className="muted">
          {formatDate(i18n.language, r.period_start)} – {formatDate(i18n.language, r.period_end)}
        </span>
      </p>
      {framework.isError ? (
        <ErrorPanel error={framework.error} />
      ) : !framework.data || indicatorQueries.some((q) => q.isPending) ? (
        <Loading />
      ) : (
        <ReportEditor data={report.data} framework={framework.data} indicators={indicators} />
      )}
      <section className="card" aria-labelledby="progress-h">
        <h2 id="progress-h">{t("results.title")}</h2>
        {progress.data ? (
          <ProgressBars items={progress.data.indicators} />
        ) : progress.isError ? (
          <ErrorPanel error={progress.error} />
        ) : (
          <Loading />
        )}
      </section>
      <section className="card" aria-labelledby="rhistory-h">
        <h2 id="rhistory-h">{t("project.history")}</h2>
        <ReportHistory reportId={r.id} indicatorNames={indicatorNames} />
      </section>
    </div>
  );
}

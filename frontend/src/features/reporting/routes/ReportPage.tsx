import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useProjectAccess } from "@/api/projects";
import { useFramework, useProgress } from "@/api/reporting";
import { ErrorPanel } from "@/components/ErrorPanel";
import { Loading } from "@/components/Loading";
import { ProgressBars } from "@/components/ProgressBars";
import { useCodeName } from "@/i18n/names";
import { useSession } from "@/lib/auth/session";
import { formatDate } from "@/lib/format";
import { ApiError } from "@/lib/problem";
import { useIndicators, useReport, useReportHistory, useReportSteps, type Indicator, type VersionedReport } from "@/features/reporting/api/report";
import { changedValues, cellsFromReport, flagsFromReport, type Cells, type Flags } from "@/features/reporting/components/grid-model";
import { Attachments } from "@/features/reporting/components/Attachments";
import { ReportGrid } from "@/features/reporting/components/ReportGrid";

function ProblemList({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!(error instanceof ApiError)) return null;
  const { problem } = error;
  if (problem.status === 403 || problem.status === 401) return <ErrorPanel error={error} />;
  return (
    <div role="alert" className="panel panel-error" data-testid="report-problem">
      {problem.status === 409 && problem.errors?.some((e) => e.code === "overlap") ? (
        <p>
          <strong>{t("reports.overlapTitle")}</strong>
        </p>
      ) : null}
      <p>{problem.status === 412 ? t("reports.conflict") : (problem.detail ?? problem.title)}</p>
      {problem.errors?.length ? (
        <ul>
          {problem.errors.map((e, i) => (
            <li key={i}>
              <code>{e.field}</code>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The report's warnings: periods outside the project's dates or not ended yet, outliers, incomplete breakdowns. */
function Warnings({ warnings }: { warnings: VersionedReport["report"]["warnings"] }) {
  const { t } = useTranslation();
  if (!warnings.length) return null;
  return (
    <div role="status" className="panel panel-warning" data-testid="report-warnings">
      <p>
        <strong>{t("reports.warnings", { count: warnings.length })}</strong>
      </p>
      <ul>
        {warnings.map((w, i) => (
          <li key={i}>{w.message}</li>
        ))}
      </ul>
    </div>
  );
}

function Editor({ data, indicators }: { data: VersionedReport; indicators: Map<string, Indicator> }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const { report, etag } = data;
  const framework = useFramework(report.project_id);
  const access = useProjectAccess(report.project_id, me !== null);
  const steps = useReportSteps(report.id);
  const original = useMemo(() => cellsFromReport(report), [report]);
  const originalFlags = useMemo(() => flagsFromReport(report), [report]);
  const [cells, setCells] = useState<Cells>(original);
  const [flags, setFlags] = useState<Flags>(originalFlags);
  const [narrative, setNarrative] = useState(report.narrative ?? "");
  const [comment, setComment] = useState("");
  const editable = (report.status === "draft" || report.status === "returned") && access.data?.can_report === true;
  const decidable = report.status === "submitted" && access.data?.can_approve === true;
  const textIndicators = new Set(
    (framework.data?.results ?? []).flatMap((r) => r.indicators.filter((pi) => indicators.get(pi.indicator.id)?.measure === "qualitative").map((pi) => pi.id)),
  );
  const changes = changedValues(original, cells, { isText: (id) => textIndicators.has(id), flagsBefore: originalFlags, flagsAfter: flags });
  const narrativeChanged = narrative !== (report.narrative ?? "");

  const save = (submit: boolean) =>
    steps.mutate({
      etag,
      steps: [
        ...(narrativeChanged ? [{ kind: "narrative" as const, narrative: narrative || null }] : []),
        ...(changes.length ? [{ kind: "values" as const, values: changes }] : []),
        ...(submit ? [{ kind: "submit" as const }] : []),
      ],
    });

  if (framework.isPending) return <Loading />;
  if (framework.isError) return <ErrorPanel error={framework.error} />;

  return (
    <>
      <ProblemList error={steps.error} />
      <Warnings warnings={report.warnings} />
      {steps.isSuccess && !steps.isPending ? (
        <p role="status" className="panel panel-ok">
          {t("reports.saved")}
        </p>
      ) : null}
      {report.comment ? (
        <div className="panel panel-warning">
          <strong>{t("reports.comment")}:</strong> {report.comment}
        </div>
      ) : null}
      <section className="card" aria-labelledby="values-h">
        <h2 id="values-h">{t("reports.values")}</h2>
        <ReportGrid
          framework={framework.data}
          indicators={indicators}
          cells={cells}
          flags={flags}
          errors={{}}
          readOnly={!editable}
          onChange={(key, value) => setCells({ ...cells, [key]: value })}
          onFlag={(id, incomplete) => setFlags({ ...flags, [id]: incomplete })}
        />
        <div className="field wide">
          <label htmlFor="narrative">{t("reports.narrative")}</label>
          <textarea id="narrative" rows={5} value={narrative} readOnly={!editable} onChange={(e) => setNarrative(e.target.value)} />
        </div>
        {editable ? (
          <div className="form-actions">
            <button type="button" onClick={() => save(false)} disabled={steps.isPending || (!changes.length && !narrativeChanged)}>
              {t("reports.saveDraft")}
            </button>
            <button type="button" className="primary" onClick={() => save(true)} disabled={steps.isPending}>
              {t("reports.submit")}
            </button>
          </div>
        ) : null}
        {!editable && !decidable && me && report.status !== "approved" ? <p className="muted">{t("reports.readOnly")}</p> : null}
      </section>
      <Attachments reportId={report.id} attachments={report.attachments} editable={editable} />
      {decidable ? (
        <section className="card" aria-labelledby="decide-h">
          <h2 id="decide-h">{t("reports.decision")}</h2>
          <div className="field">
            <label htmlFor="decision-comment">{t("reports.comment")}</label>
            <textarea id="decision-comment" rows={3} value={comment} onChange={(e) => setComment(e.target.value)} />
          </div>
          <div className="form-actions">
            <button type="button" className="primary" disabled={steps.isPending} onClick={() => steps.mutate({ etag, steps: [{ kind: "approve", comment: comment || null }] })}>
              {t("reports.approve")}
            </button>
            <button
              type="button"
              disabled={steps.isPending || !comment.trim()}
              title={comment.trim() ? undefined : t("reports.returnNeedsComment")}
              onClick={() => steps.mutate({ etag, steps: [{ kind: "return", comment }] })}
            >
              {t("reports.return")}
            </button>
          </div>
        </section>
      ) : null}
    </>
  );
}

export function ReportPage() {
  const { reportId = "" } = useParams();
  const { t, i18n } = useTranslation();
  const report = useReport(reportId);
  const projectId = report.data?.report.project_id ?? "";
  const framework = useFramework(projectId);
  const ids = [...new Set((framework.data?.results ?? []).flatMap((r) => r.indicators.map((pi) => pi.indicator.id)))];
  const indicatorQueries = useIndicators(ids);
  const progress = useProgress(projectId);
  const history = useReportHistory(reportId);
  const indicators = new Map(indicatorQueries.flatMap((q) => (q.data ? [[q.data.id, q.data] as const] : [])));
  const dimensionName = useCodeName("dimensions");
  const valueName = useCodeName("dimensionValues");
  const actorNames = new Map((history.data?.events ?? []).flatMap((e) => (e.actor_name ? [[e.actor, e.actor_name] as const] : [])));

  if (report.isPending) return <Loading />;
  if (report.isError) return <div className="page"><ErrorPanel error={report.error} /></div>;
  const r = report.data.report;
  return (
    <div className="page">
      <p>
        <Link to={`/projects/${r.project_id}#reports`}>{t("reports.backToProject")}</Link>
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
      {framework.isPending || indicatorQueries.some((q) => q.isPending) ? (
        <Loading />
      ) : (
        <Editor key={report.data.etag} data={report.data} indicators={indicators} />
      )}
      <section className="card" aria-labelledby="progress-h">
        <h2 id="progress-h">{t("results.title")}</h2>
        {progress.data ? <ProgressBars items={progress.data.indicators} /> : <Loading />}
      </section>
      <section className="card" aria-labelledby="rhistory-h">
        <h2 id="rhistory-h">{t("project.history")}</h2>
        {history.data ? (
          <ol className="history">
            {history.data.events.map((e, i) => (
              <li key={i}>
                <time dateTime={e.at}>{formatDate(i18n.language, e.at)}</time> · <strong>{e.actor_name ?? e.actor}</strong> ·{" "}
                {e.from_status ? `${t(`reportStatus.${e.from_status}`, { defaultValue: e.from_status })} → ` : ""}
                {t(`reportStatus.${e.to_status}`, { defaultValue: e.to_status })}
                {e.comment ? ` — “${e.comment}”` : ""}
              </li>
            ))}
            {history.data.value_changes.slice(0, 20).map((c, i) => (
              <li key={`v${i}`} className="muted">
                <time dateTime={c.at}>{formatDate(i18n.language, c.at)}</time> · {actorNames.get(c.actor) ?? c.actor} · {c.action}{" "}
                {c.disaggregation_key
                  ? c.disaggregation_key
                      .split(";")
                      .map((part) => {
                        const [dim = "", code = ""] = part.split("=");
                        return `${valueName(`${dim}.${code}`, code)} (${dimensionName(dim, dim)})`;
                      })
                      .join(" × ")
                  : t("reports.total")}
                :{" "}
                {JSON.stringify(c.before?.value ?? null)} → {JSON.stringify(c.after?.value ?? null)}
              </li>
            ))}
          </ol>
        ) : history.isError ? (
          <ErrorPanel error={history.error} />
        ) : (
          <Loading />
        )}
      </section>
    </div>
  );
}

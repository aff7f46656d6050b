import { useTranslation } from "react-i18next";
import { Link, Navigate } from "react-router";
import { uploadIatiImport, useIatiJob, type ActivityOutcome, type IatiImportSummary } from "@/api/iati";
import { DryRunUploadCard, type DryRunUploadSetup } from "@/components/DryRunUploadCard";
import { ErrorPanel } from "@/components/ErrorPanel";
import { CountFacts } from "@/components/lists/CountFacts";
import { Loading } from "@/components/Loading";
import { hasRole } from "@/lib/auth/permissions";
import { useSession } from "@/lib/auth/session";
import { useDryRunUpload } from "@/lib/dry-run-upload";

/** The upload card's ids, the files it takes, and its words (translation keys). */
const UPLOAD: DryRunUploadSetup = {
  id: "iati",
  accept: ".xml,application/xml,text/xml",
  heading: "iati.upload",
  help: "iati.help",
  needsRole: "iati.needsManager",
  file: "iati.file",
  dryRun: "iati.dryRun",
  apply: "iati.apply",
  applyAfterDryRun: "iati.applyAfterDryRun",
  uploading: "iati.uploading",
};

/** The summary's counts in the order shown, each with its label's translation key. */
const SUMMARY_FACTS = {
  version: "iati.version",
  activities: "iati.activities",
  created: "iati.outcomes.created",
  updated: "iati.outcomes.updated",
  skipped: "iati.outcomes.skipped",
  organisations_created: "iati.organisationsCreated",
} as const;

function List({ title, items, className }: { title: string; items: string[]; className?: string }) {
  if (items.length === 0) return null;
  return (
    <details className={className} open={className === "field-error"}>
      <summary>
        {title} ({items.length})
      </summary>
      <ul>
        {items.map((item) => (
          <li key={item}>
            <code>{item}</code>
          </li>
        ))}
      </ul>
    </details>
  );
}

function Activity({ item }: { item: ActivityOutcome }) {
  const { t } = useTranslation();
  return (
    <tr>
      <td>
        <code>{item.identifier}</code>
        <div className="muted">{t("iati.line", { line: item.line })}</div>
      </td>
      <td>
        <span className={`badge outcome-${item.outcome}`}>{t(`iati.outcomes.${item.outcome}`)}</span>
        {item.project_id && item.outcome !== "skipped" ? (
          <div>
            <Link to={`/projects/${item.project_id}`}>{t("iati.openProject")}</Link>
          </div>
        ) : null}
      </td>
      <td>
        <List title={t("iati.errors")} items={item.errors} className="field-error" />
        <List title={t("iati.warnings")} items={item.warnings} />
        <List title={t("iati.notes")} items={item.notes} />
        <List title={t("iati.organisationsCreated")} items={item.organisations_created} />
      </td>
    </tr>
  );
}

function Summary({ summary }: { summary: IatiImportSummary }) {
  const { t } = useTranslation();
  return (
    <div className="card" data-testid="iati-summary">
      <h2>{summary.dry_run ? t("iati.dryRunSummary") : t("iati.doneSummary")}</h2>
      <CountFacts values={summary} labels={SUMMARY_FACTS} />
      <table className="data-table compact">
        <caption>{t("iati.perActivity")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("iati.identifier")}</th>
            <th scope="col">{t("iati.outcome")}</th>
            <th scope="col">{t("iati.details")}</th>
          </tr>
        </thead>
        <tbody>
          {summary.items.map((item) => (
            <Activity key={`${item.identifier}-${item.line}`} item={item} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function IatiImportPage() {
  const { t } = useTranslation();
  const { me, status } = useSession();
  const upload = useDryRunUpload(uploadIatiImport);
  const { outcome, error } = upload;
  const job = useIatiJob(outcome?.kind === "job" ? outcome.job.id : null);

  if (status === "restoring") return <Loading />;
  if (!me) return <Navigate to="/login" state={{ from: "/reporting/iati" }} replace />;

  const currentJob = job.data ?? (outcome?.kind === "job" ? outcome.job : null);
  const summary = outcome?.kind === "summary" ? outcome.summary : (currentJob?.summary ?? null);
  const dryRunDone = summary?.dry_run === true && summary.activities > summary.skipped;

  return (
    <div className="page">
      <h1>{t("iati.importTitle")}</h1>
      <p>
        <Link to="/reporting">{t("iati.indicatorImport")}</Link>
      </p>
      <DryRunUploadCard setup={UPLOAD} upload={upload} canImport={hasRole(me, "manager")} ready={dryRunDone} />
      {error ? <ErrorPanel error={error} /> : null}
      {currentJob && currentJob.status !== "done" ? (
        <div className="card" aria-live="polite">
          <h2>{t("iati.job")}</h2>
          <progress max={100} value={Math.round(currentJob.progress * 100)} aria-label={t("iati.progress")} />
          <p>
            {t("iati.jobStatus", {
              status: currentJob.status,
              done: currentJob.activities_done,
              total: currentJob.activities_total,
            })}
          </p>
          {currentJob.error ? (
            <p className="field-error">{String(currentJob.error.detail ?? currentJob.error.title ?? "")}</p>
          ) : null}
        </div>
      ) : null}
      {summary ? <Summary summary={summary} /> : null}
    </div>
  );
}

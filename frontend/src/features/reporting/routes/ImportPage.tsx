import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate } from "react-router";
import { DryRunUploadCard, type DryRunUploadSetup } from "@/components/DryRunUploadCard";
import { ErrorPanel } from "@/components/ErrorPanel";
import { CountFacts } from "@/components/lists/CountFacts";
import { Loading } from "@/components/Loading";
import { hasRole } from "@/lib/auth/permissions";
import { useSession } from "@/lib/auth/session";
import { useDryRunUpload } from "@/lib/dry-run-upload";
import { formatNumber } from "@/lib/format";
import { ApiError } from "@/lib/problem";
import {
  downloadExport,
  uploadImport,
  useImportJob,
  type ImportJob,
  type ImportRequest,
  type ImportSummary,
} from "@/features/reporting/api/imports";

/** The upload card's ids, the files it takes, and its words (translation keys). */
const UPLOAD: DryRunUploadSetup = {
  id: "import",
  accept: ".csv,.xlsx,.json,text/csv,application/json",
  heading: "imports.upload",
  help: "imports.help",
  needsRole: "imports.needsReporter",
  file: "imports.file",
  dryRun: "imports.dryRun",
  apply: "imports.confirm",
  applyAfterDryRun: "imports.confirmAfterDryRun",
  uploading: "imports.uploading",
};

/** The summary's counts in the order shown, each with its label's translation key. */
const SUMMARY_FACTS = {
  rows: "imports.rows",
  imported: "imports.imported",
  updated: "imports.updated",
  ignored: "imports.ignored",
  reports_created: "imports.reportsCreated",
  conflict_count: "imports.conflicts",
} as const;

function Summary({ summary }: { summary: ImportSummary }) {
  const { t } = useTranslation();
  return (
    <div className="card" data-testid="import-summary">
      <h2>{summary.dry_run ? t("imports.dryRunSummary") : t("imports.doneSummary")}</h2>
      <CountFacts values={summary} labels={SUMMARY_FACTS} />
      {summary.conflicts.length > 0 ? <Conflicts rows={summary.conflicts} /> : null}
      {summary.warnings?.length ? (
        <Conflicts rows={summary.warnings} caption={t("imports.warningsByRow")} testId="import-warnings" />
      ) : null}
    </div>
  );
}

function Conflicts({
  rows,
  caption,
  testId = "import-conflicts",
}: {
  rows: { row: number; field: string; message: string }[];
  caption?: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <table className="data-table compact" data-testid={testId}>
      <caption>{caption ?? t("imports.conflictsByRow")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("imports.row")}</th>
          <th scope="col">{t("imports.field")}</th>
          <th scope="col">{t("imports.message")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((c, i) => (
          <tr key={i}>
            <td>{c.row}</td>
            <td>
              <code>{c.field}</code>
            </td>
            <td>{c.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A background import: its state in words, a progress bar while it runs, its summary or error when it ends. */
function JobPanel({ job }: { job: ImportJob }) {
  const { t, i18n } = useTranslation();
  const running = job.status === "queued" || job.status === "running";
  const dryRun = job.summary?.dry_run ?? false;
  const heading = running
    ? t("imports.jobRunning")
    : job.status === "failed"
      ? t("imports.jobFailed")
      : t("imports.jobDone");
  return (
    <div className="card" aria-live="polite" data-testid="import-job">
      <h2>{heading}</h2>
      {running ? (
        <progress
          max={100}
          value={Math.round(job.progress * (job.progress <= 1 ? 100 : 1))}
          aria-label={t("imports.progress")}
        />
      ) : null}
      <p data-testid="import-job-status">
        {t("imports.jobStatus", {
          status: t(`imports.jobStatuses.${job.status}`),
          done: formatNumber(i18n.language, job.rows_done),
          total: formatNumber(i18n.language, job.rows_total),
        })}
        {!running && job.summary ? ` · ${dryRun ? t("imports.jobWasDryRun") : t("imports.jobWasImport")}` : ""}
      </p>
      {job.error ? <p className="field-error">{job.error}</p> : null}
      {job.summary ? <Summary summary={job.summary} /> : null}
    </div>
  );
}

/** "rows[3].value" → row 3, field value: the API's 422 for a file with conflicts. */
function conflictsFromProblem(error: unknown) {
  if (!(error instanceof ApiError) || error.status !== 422) return null;
  return (error.problem.errors ?? []).map((e) => {
    const match = /rows\[(\d+)\]\.?(.*)/.exec(e.field);
    return { row: match ? Number(match[1]) : 0, field: match ? match[2] || "—" : e.field, message: e.message };
  });
}

export function ImportPage() {
  const { t } = useTranslation();
  const { me, status } = useSession();
  const [strategy, setStrategy] = useState<ImportRequest["strategy"]>("create_and_update");
  // One key per real import, kept across retries of it: the API applies a file sent twice with one key once.
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [includeUnapproved, setIncludeUnapproved] = useState(false);
  const upload = useDryRunUpload(async (file: File, dryRun: boolean) => {
    const outcome = await uploadImport({ file, dryRun, strategy, idempotencyKey: dryRun ? crypto.randomUUID() : key });
    if (!dryRun) setKey(crypto.randomUUID());
    return outcome;
  });
  const { outcome, error, setError } = upload;
  const job = useImportJob(outcome?.kind === "job" ? outcome.job.id : null);

  if (status === "restoring") return <Loading />;
  if (!me) return <Navigate to="/login" state={{ from: "/reporting" }} replace />;

  const conflicts = conflictsFromProblem(error);
  const currentJob = job.data ?? (outcome?.kind === "job" ? outcome.job : null);
  // A dry run answers inline (small file) or as a job (large file); either, finished without conflicts, allows Import.
  const dryRun =
    outcome?.kind === "summary" ? outcome.summary : currentJob?.status === "done" ? currentJob.summary : null;
  const dryRunClean = dryRun?.dry_run === true && dryRun.conflict_count === 0;

  return (
    <div className="page">
      <h1>{t("imports.title")}</h1>
      <p>
        <Link to="/reporting/iati">{t("iati.importLink")}</Link>
      </p>
      <DryRunUploadCard setup={UPLOAD} upload={upload} canImport={hasRole(me, "reporter")} ready={dryRunClean}>
        <div className="field">
          <label htmlFor="import-strategy">{t("imports.strategy")}</label>
          <select
            id="import-strategy"
            value={strategy}
            onChange={(e) => setStrategy(e.target.value as ImportRequest["strategy"])}
          >
            {(["create_and_update", "create", "update", "delete"] as const).map((s) => (
              <option key={s} value={s}>
                {t(`imports.strategies.${s}`)}
              </option>
            ))}
          </select>
        </div>
      </DryRunUploadCard>
      {conflicts ? (
        <div className="card" role="alert">
          <h2>{t("imports.rejected")}</h2>
          <p>{t("imports.rejectedBody", { count: conflicts.length })}</p>
          <Conflicts rows={conflicts} />
        </div>
      ) : error ? (
        <ErrorPanel error={error} />
      ) : null}
      {outcome?.kind === "summary" ? <Summary summary={outcome.summary} /> : null}
      {currentJob ? <JobPanel job={currentJob} /> : null}
      <section className="card" aria-labelledby="export-h">
        <h2 id="export-h">{t("imports.exports")}</h2>
        <label className="checkbox">
          <input type="checkbox" checked={includeUnapproved} onChange={(e) => setIncludeUnapproved(e.target.checked)} />{" "}
          {t("imports.includeUnapproved")}
        </label>
        <div className="form-actions">
          {(["csv", "xlsx", "json"] as const).map((format) => (
            <button
              key={format}
              type="button"
              onClick={() => void downloadExport(format, includeUnapproved).catch(setError)}
            >
              {t("imports.download", { format: format.toUpperCase() })}
            </button>
          ))}
        </div>
      </section>
    </div>
  );
}

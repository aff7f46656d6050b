import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate } from "react-router";
import {
  uploadIatiImport,
  useIatiJob,
  type ActivityOutcome,
  type IatiImportOutcome,
  type IatiImportSummary,
} from "@/api/iati";
import { ErrorPanel } from "@/components/ErrorPanel";
import { Loading } from "@/components/Loading";
import { hasRole } from "@/lib/auth/permissions";
import { useSession } from "@/lib/auth/session";
import { formatNumber } from "@/lib/format";

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
  const { t, i18n } = useTranslation();
  const n = (v: number) => formatNumber(i18n.language, v);
  return (
    <div className="card" data-testid="iati-summary">
      <h2>{summary.dry_run ? t("iati.dryRunSummary") : t("iati.doneSummary")}</h2>
      <dl className="facts">
        <dt>{t("iati.version")}</dt>
        <dd>{summary.version}</dd>
        <dt>{t("iati.activities")}</dt>
        <dd>{n(summary.activities)}</dd>
        <dt>{t("iati.outcomes.created")}</dt>
        <dd>{n(summary.created)}</dd>
        <dt>{t("iati.outcomes.updated")}</dt>
        <dd>{n(summary.updated)}</dd>
        <dt>{t("iati.outcomes.skipped")}</dt>
        <dd>{n(summary.skipped)}</dd>
        <dt>{t("iati.organisationsCreated")}</dt>
        <dd>{n(summary.organisations_created)}</dd>
      </dl>
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
  const [file, setFile] = useState<File | null>(null);
  const [outcome, setOutcome] = useState<IatiImportOutcome | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const job = useIatiJob(outcome?.kind === "job" ? outcome.job.id : null);

  if (status === "restoring") return <Loading />;
  if (!me) return <Navigate to="/login" state={{ from: "/reporting/iati" }} replace />;
  const canImport = hasRole(me, "manager");

  async function run(dryRun: boolean) {
    if (!file) return;
    setBusy(true);
    setError(null);
    setOutcome(null);
    try {
      setOutcome(await uploadIatiImport(file, dryRun));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const currentJob = job.data ?? (outcome?.kind === "job" ? outcome.job : null);
  const summary = outcome?.kind === "summary" ? outcome.summary : (currentJob?.summary ?? null);
  const dryRunDone = summary?.dry_run === true && summary.activities > summary.skipped;

  return (
    <div className="page">
      <h1>{t("iati.importTitle")}</h1>
      <p>
        <Link to="/reporting">{t("iati.indicatorImport")}</Link>
      </p>
      <section className="card" aria-labelledby="iati-upload-h">
        <h2 id="iati-upload-h">{t("iati.upload")}</h2>
        <p className="muted">{t("iati.help")}</p>
        {!canImport ? <p className="panel panel-warning">{t("iati.needsManager")}</p> : null}
        <form
          className="form-grid"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            void run(true);
          }}
        >
          <div className="field">
            <label htmlFor="iati-file">{t("iati.file")}</label>
            <input
              id="iati-file"
              type="file"
              accept=".xml,application/xml,text/xml"
              disabled={!canImport}
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setOutcome(null);
                setError(null);
              }}
            />
          </div>
          <div className="form-actions wide">
            <button type="submit" className="primary" disabled={!file || busy || !canImport}>
              {t("iati.dryRun")}
            </button>
            <button
              type="button"
              disabled={!dryRunDone || busy}
              onClick={() => void run(false)}
              title={dryRunDone ? undefined : t("iati.applyAfterDryRun")}
            >
              {t("iati.apply")}
            </button>
          </div>
        </form>
        {busy ? <Loading label={t("iati.uploading")} /> : null}
      </section>
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

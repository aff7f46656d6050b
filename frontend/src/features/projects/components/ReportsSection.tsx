import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { useCreateReport, useProgress, useProjectReports } from "@/api/reporting";
import { ErrorPanel } from "@/components/ErrorPanel";
import { Field } from "@/components/Field";
import { Loading } from "@/components/Loading";
import { ProgressBars } from "@/components/ProgressBars";
import { formatDate } from "@/lib/format";
import { useFieldErrors } from "@/lib/field-messages";
import { ApiError } from "@/lib/problem";

export function ResultsSection({ projectId, canEdit = false }: { projectId: string; canEdit?: boolean }) {
  const { t } = useTranslation();
  const progress = useProgress(projectId);
  return (
    <section id="results" aria-labelledby="results-h" className="card">
      <div className="section-header">
        <h2 id="results-h">{t("results.title")}</h2>
        {canEdit ? <Link to={`/projects/${projectId}/framework`}>{t("framework.editLink")}</Link> : null}
      </div>
      {progress.isPending ? (
        <Loading />
      ) : progress.isError ? (
        <ErrorPanel error={progress.error} />
      ) : (
        <ProgressBars items={progress.data.indicators} />
      )}
    </section>
  );
}

export function ReportsSection({
  projectId,
  signedIn,
  canReport,
}: {
  projectId: string;
  signedIn: boolean;
  canReport: boolean;
}) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const reports = useProjectReports(projectId, signedIn);
  const create = useCreateReport(projectId);
  const [period, setPeriod] = useState("");
  const errors = useFieldErrors(create.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate(period.trim(), { onSuccess: (report) => navigate(`/reports/${report.id}`) });
  }

  return (
    <section id="reports" aria-labelledby="reports-h" className="card">
      <h2 id="reports-h">{t("reports.title")}</h2>
      {!signedIn ? <p className="muted">{t("reports.signIn")}</p> : null}
      {reports.isPending && signedIn ? <Loading /> : null}
      {reports.isError ? <ErrorPanel error={reports.error} /> : null}
      {reports.data ? (
        reports.data.items.length === 0 ? (
          <p className="muted">{t("reports.none")}</p>
        ) : (
          <table className="data-table compact">
            <thead>
              <tr>
                <th scope="col">{t("reports.period")}</th>
                <th scope="col">{t("fields.status")}</th>
                <th scope="col">{t("reports.submitted")}</th>
              </tr>
            </thead>
            <tbody>
              {reports.data.items.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/reports/${r.id}`}>{r.period}</Link>
                  </td>
                  <td>
                    <span className={`badge report-${r.status}`}>{t(`reportStatus.${r.status}`)}</span>
                  </td>
                  <td>{formatDate(i18n.language, r.submitted_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
      {canReport ? (
        <form className="inline-form" onSubmit={submit} aria-label={t("reports.new")}>
          <Field
            label={t("reports.newPeriod")}
            error={
              errors.period ??
              (create.error
                ? t(
                    create.error instanceof ApiError && create.error.status === 409
                      ? "reports.periodTaken"
                      : "errors.generic.body",
                  )
                : undefined)
            }
            hint={t("reports.periodHint")}
          >
            <input value={period} onChange={(e) => setPeriod(e.target.value)} required />
          </Field>
          <button type="submit" disabled={create.isPending || !period.trim()}>
            {t("reports.new")}
          </button>
        </form>
      ) : null}
    </section>
  );
}

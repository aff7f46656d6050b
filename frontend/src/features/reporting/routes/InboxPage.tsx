import { useTranslation } from "react-i18next";
import { Link, Navigate, useNavigate } from "react-router";
import { ErrorPanel } from "@/components/ErrorPanel";
import { Loading } from "@/components/Loading";
import { useSession } from "@/lib/auth/session";
import { formatDate } from "@/lib/format";
import { useInbox, useStartReport, type InboxReport } from "@/features/reporting/api/inbox";

function ReportList({
  items,
  empty,
  testId,
  showComment = false,
}: {
  items: InboxReport[];
  empty: string;
  testId: string;
  showComment?: boolean;
}) {
  const { t, i18n } = useTranslation();
  if (items.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="inbox-list" data-testid={testId}>
      {items.map((r) => (
        <li key={r.id}>
          <Link to={`/reports/${r.id}`}>
            {t("inbox.open", { project: r.project_title ?? r.project_code ?? "—", period: r.period })}
          </Link>{" "}
          <span className={`badge report-${r.status}`}>{t(`reportStatus.${r.status}`)}</span>{" "}
          <span className="muted small">
            {formatDate(i18n.language, r.period_start)} – {formatDate(i18n.language, r.period_end)}
          </span>
          {showComment && r.comment ? (
            <p className="small">{t("inbox.returnedComment", { comment: r.comment })}</p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** A reporter's work in one place: periods due (start or continue their report), returned reports, drafts, and what
 * waits for approval. */
export function InboxPage() {
  const { t, i18n } = useTranslation();
  const { me, status } = useSession();
  const inbox = useInbox();
  const start = useStartReport();
  const navigate = useNavigate();
  if (status === "restoring") return <Loading />;
  if (!me) return <Navigate to="/login" state={{ from: "/inbox" }} replace />;
  return (
    <div className="page">
      <h1>{t("inbox.title")}</h1>
      <p className="muted">{t("inbox.intro")}</p>
      {inbox.isPending ? <Loading /> : null}
      {inbox.isError ? <ErrorPanel error={inbox.error} /> : null}
      {start.error ? <ErrorPanel error={start.error} /> : null}
      {inbox.data ? (
        <div className="inbox">
          <section className="card" aria-labelledby="due-h">
            <h2 id="due-h">{t("inbox.due")}</h2>
            {inbox.data.due.length === 0 ? (
              <p className="muted">{t("inbox.dueNone")}</p>
            ) : (
              <ul className="inbox-list" data-testid="inbox-due">
                {inbox.data.due.map((d) => (
                  <li key={`${d.project_id}|${d.period}`}>
                    <strong>{d.project_title ?? d.project_code}</strong> · {d.period}{" "}
                    <span className="muted small">
                      {t("inbox.ended", { date: formatDate(i18n.language, d.period_end) })}
                    </span>{" "}
                    {d.report_id ? (
                      <Link className="button" to={`/reports/${d.report_id}`}>
                        {t("inbox.continue", { period: d.period })}
                      </Link>
                    ) : (
                      <button
                        type="button"
                        disabled={start.isPending}
                        onClick={() =>
                          start.mutate(
                            { projectId: d.project_id, period: d.period },
                            { onSuccess: (report) => navigate(`/reports/${report.id}`) },
                          )
                        }
                      >
                        {t("inbox.start", { period: d.period })}
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="card" aria-labelledby="returned-h">
            <h2 id="returned-h">{t("inbox.returned")}</h2>
            <ReportList
              items={inbox.data.returned}
              empty={t("inbox.returnedNone")}
              testId="inbox-returned"
              showComment
            />
          </section>
          <section className="card" aria-labelledby="drafts-h">
            <h2 id="drafts-h">{t("inbox.drafts")}</h2>
            <ReportList items={inbox.data.drafts} empty={t("inbox.draftsNone")} testId="inbox-drafts" />
          </section>
          <section className="card" aria-labelledby="submitted-h">
            <h2 id="submitted-h">{t("inbox.submitted")}</h2>
            <ReportList items={inbox.data.submitted} empty={t("inbox.submittedNone")} testId="inbox-submitted" />
          </section>
        </div>
      ) : null}
    </div>
  );
}

import { useQueries } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { ProjectSummary } from "@/api/projects";
import { submittedReportsQueryOptions } from "@/api/reporting";
import { formatDate } from "@/lib/format";

/** Reports submitted on the projects a manager can see, waiting for approval (projects they may not decide on answer 403 and drop out). */
export function AwaitingApproval({ projects }: { projects: readonly ProjectSummary[] }) {
  const { t, i18n } = useTranslation();
  const results = useQueries({ queries: projects.map((p) => submittedReportsQueryOptions(p.id)) });
  const rows = results.flatMap((r, i) => (r.data?.items ?? []).map((report) => ({ report, project: projects[i] })));
  const loading = results.some((r) => r.isPending);
  return (
    <section className="card" aria-labelledby="awaiting-h">
      <h2 id="awaiting-h">{t("dashboard.awaiting")}</h2>
      {loading ? <p className="muted">{t("common.loading")}</p> : null}
      {!loading && rows.length === 0 ? <p className="muted">{t("dashboard.awaitingNone")}</p> : null}
      {rows.length > 0 ? (
        <ul data-testid="awaiting">
          {rows.map(({ report, project }) => (
            <li key={report.id}>
              <Link to={`/reports/${report.id}`}>
                {project?.title} — {report.period}
              </Link>{" "}
              <span className="muted">{formatDate(i18n.language, report.submitted_at)}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

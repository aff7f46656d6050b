import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { ProjectSummary } from "@/api/projects";
import { awaitingMyApprovalQueryOptions } from "@/api/reporting";
import { formatDate } from "@/lib/format";

/** Reports submitted on the projects the signed-in manager approves, oldest first. */
export function AwaitingApproval({ projects }: { projects: readonly ProjectSummary[] }) {
  const { t, i18n } = useTranslation();
  const queue = useQuery(awaitingMyApprovalQueryOptions());
  const titles = new Map(projects.map((p) => [p.id, p.title]));
  const rows = (queue.data?.items ?? []).map((report) => ({ report, title: titles.get(report.project_id) }));
  const loading = queue.isPending;
  return (
    <section className="card" aria-labelledby="awaiting-h">
      <h2 id="awaiting-h">{t("dashboard.awaiting")}</h2>
      {loading ? <p className="muted">{t("common.loading")}</p> : null}
      {!loading && rows.length === 0 ? <p className="muted">{t("dashboard.awaitingNone")}</p> : null}
      {rows.length > 0 ? (
        <ul data-testid="awaiting">
          {rows.map(({ report, title }) => (
            <li key={report.id}>
              <Link to={`/reports/${report.id}`}>
                {title ?? report.project_id} — {report.period}
              </Link>{" "}
              <span className="muted">{formatDate(i18n.language, report.submitted_at)}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

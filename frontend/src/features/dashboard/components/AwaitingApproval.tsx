import { useQueries, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { projectTitleQueryOptions } from "@/api/projects";
import { awaitingMyApprovalQueryOptions } from "@/api/reporting";
import { formatDate } from "@/lib/format";

/** Reports submitted on the projects the signed-in manager approves, oldest first, with their projects' titles. */
export function AwaitingApproval() {
  const { t, i18n } = useTranslation();
  const queue = useQuery(awaitingMyApprovalQueryOptions());
  const items = queue.data?.items ?? [];
  const ids = [...new Set(items.map((report) => report.project_id))];
  const titles = useQueries({ queries: ids.map((id) => projectTitleQueryOptions(id)) });
  const titleOf = new Map(ids.map((id, i) => [id, titles[i]?.data]));
  const loading = queue.isPending;
  return (
    <section className="card" aria-labelledby="awaiting-h">
      <h2 id="awaiting-h">{t("dashboard.awaiting")}</h2>
      {loading ? <p className="muted">{t("common.loading")}</p> : null}
      {!loading && items.length === 0 ? <p className="muted">{t("dashboard.awaitingNone")}</p> : null}
      {items.length > 0 ? (
        <ul data-testid="awaiting">
          {items.map((report) => (
            <li key={report.id}>
              <Link to={`/reports/${report.id}`}>
                {titleOf.get(report.project_id) ?? t("common.loading")} — {report.period}
              </Link>{" "}
              <span className="muted">{formatDate(i18n.language, report.submitted_at)}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

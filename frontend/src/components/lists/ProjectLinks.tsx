import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { ProjectSummary } from "@/api/projects";
import { QueryView } from "@/components/lists/QueryView";

/** The "Projects" card of a country's or an organisation's page: each project a link, its code beside it. */
export function ProjectLinks({
  projects,
  children,
}: {
  projects: UseQueryResult<ProjectSummary[]>;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <section className="card">
      <h2>{t("nav.projects")}</h2>
      <QueryView query={projects}>
        {(items) => (
          <ul>
            {items.map((p) => (
              <li key={p.id}>
                <Link to={`/projects/${p.id}`}>{p.title}</Link> <span className="muted">{p.code}</span>
              </li>
            ))}
            {items.length === 0 ? <li className="muted">{t("projects.none")}</li> : null}
          </ul>
        )}
      </QueryView>
      {children}
    </section>
  );
}

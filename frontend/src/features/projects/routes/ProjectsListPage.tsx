import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useCountryName } from "@/i18n/names";
import { Link, useSearchParams } from "react-router";
import { downloadIati } from "@/api/iati";
import { pickText } from "@/lib/narratives";
import { useProjects, type ProjectListQuery } from "@/api/projects";
import { ErrorPanel } from "@/components/ErrorPanel";
import { DataTable } from "@/components/lists/DataTable";
import { Loading } from "@/components/Loading";
import { Pagination } from "@/components/Pagination";
import { canCreateProjects } from "@/lib/auth/permissions";
import { useSession } from "@/lib/auth/session";
import { projectsApi } from "@/lib/api-client";
import { downloadBlob } from "@/lib/csv";
import { ApiError, toProblem } from "@/lib/problem";
import { formatDate, formatNumber } from "@/lib/format";
import { PAGE_SIZES, parseListQuery, SORTS, toSearchParams, type Sort } from "@/features/projects/api/list-query";
import { ProjectFilters } from "@/features/projects/components/ProjectFilters";

export function ProjectsListPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const query = parseListQuery(params);
  const projects = useProjects(query);
  const { me } = useSession();
  const countryName = useCountryName();
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const sort = query.sort ?? "code";

  const update = (next: ProjectListQuery) => setParams(toSearchParams(next));

  async function exportIati() {
    setExporting(true);
    setExportError(null);
    try {
      // The whole filtered list (public projects only without a session), as an IATI 2.03 activities file.
      const filters: Record<string, string | number | boolean | string[] | undefined | null> = { ...query };
      delete filters.page;
      delete filters.page_size;
      delete filters.sort;
      await downloadIati("/iati/activities.xml", "iati-activities.xml", filters);
    } catch (error) {
      setExportError(error);
    } finally {
      setExporting(false);
    }
  }

  async function exportCsv() {
    setExporting(true);
    setExportError(null);
    try {
      // The API streams the whole filtered list (every page), with EUR totals, safe to open in a spreadsheet.
      const filters = { ...query };
      delete filters.page;
      delete filters.page_size;
      const result = await projectsApi.GET("/api/projects/v1/projects/export.csv", {
        params: { query: filters },
        parseAs: "blob",
      });
      if (!result.response.ok || !result.data) throw new ApiError(toProblem(result.error, result.response));
      downloadBlob("projects.csv", result.data as Blob);
    } catch (error) {
      setExportError(error);
    } finally {
      setExporting(false);
    }
  }

  return (
    <div className="page">
      <div className="page-header">
        <h1>{t("projects.title")}</h1>
        <div className="actions">
          <button type="button" onClick={() => void exportCsv()} disabled={exporting || !projects.data?.total}>
            {exporting ? t("common.working") : t("projects.exportCsv")}
          </button>
          <button
            type="button"
            onClick={() => void exportIati()}
            disabled={exporting || !projects.data?.total}
            title={t("iati.downloadHelp")}
          >
            {t("iati.download")}
          </button>
          {canCreateProjects(me) ? (
            <Link className="button primary" to="/projects/new">
              {t("projects.new")}
            </Link>
          ) : me ? (
            <span className="muted" title={t("projects.newForbidden")}>
              {t("projects.newForbidden")}
            </span>
          ) : null}
        </div>
      </div>
      {exportError ? <ErrorPanel error={exportError} /> : null}
      {/* Not keyed by the URL: a filter change keeps the form (and the keyboard focus in it) where it is. */}
      <ProjectFilters query={query} onChange={update} />
      <div className="list-toolbar">
        <p aria-live="polite" aria-busy={projects.isFetching}>
          {projects.data
            ? t("projects.count", {
                count: projects.data.total,
                formatted: formatNumber(i18n.language, projects.data.total),
              })
            : null}
        </p>
        <div className="field inline">
          <label htmlFor="sort">{t("projects.sort")}</label>
          <select id="sort" value={sort} onChange={(e) => update({ ...query, sort: e.target.value as Sort, page: 1 })}>
            {SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`sorts.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field inline">
          <label htmlFor="page-size">{t("projects.pageSize")}</label>
          <select
            id="page-size"
            value={query.page_size}
            onChange={(e) => update({ ...query, page_size: Number(e.target.value), page: 1 })}
          >
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
      </div>
      {projects.isPending ? <Loading /> : null}
      {projects.isError ? <ErrorPanel error={projects.error} /> : null}
      {projects.data ? (
        <>
          <DataTable
            caption={t("projects.title")}
            columns={[
              { label: t("fields.code"), sortBy: "code" },
              { label: t("fields.title"), sortBy: "title" },
              t("fields.status"),
              t("fields.countries"),
              t("fields.fundingPartners"),
              { label: t("fields.start"), sortBy: "start" },
              { label: t("fields.end"), sortBy: "end" },
            ]}
            sort={{ current: sort, onSort: (s) => update({ ...query, sort: s as Sort, page: 1 }) }}
            items={projects.data.items}
            empty={t("projects.none")}
            emptyClassName=""
          >
            {(p) => (
              <tr key={p.id}>
                <td className="code">{p.code}</td>
                <td>
                  <Link to={`/projects/${p.id}`}>{pickText(p.titles, i18n.language, p.language, p.title)}</Link>
                </td>
                <td>
                  <span className={`badge status-${p.status}`}>{t(`status.${p.status}`)}</span>
                </td>
                <td>{p.countries.map((c) => countryName(c.country_code, c.name)).join(", ")}</td>
                <td>{p.funders.map((f) => f.acronym ?? f.name).join(", ") || "—"}</td>
                <td>{formatDate(i18n.language, p.actual_start ?? p.planned_start)}</td>
                <td>{formatDate(i18n.language, p.actual_end ?? p.planned_end)}</td>
              </tr>
            )}
          </DataTable>
          <Pagination
            page={query.page ?? 1}
            pageSize={query.page_size ?? 25}
            total={projects.data.total}
            onPage={(page) => update({ ...query, page })}
          />
        </>
      ) : null}
    </div>
  );
}

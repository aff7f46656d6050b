import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import type { components, operations } from "@/api/generated/projects";
import { projectsApi } from "@/lib/api-client";
import { unwrap } from "@/lib/problem";

export type ProjectSummary = components["schemas"]["ProjectSummary"];
export type ProjectListQuery = NonNullable<operations["projects-list_projects"]["parameters"]["query"]>;
export type ProjectStatus = components["schemas"]["ActivityStatus"];
export const PROJECT_STATUSES: readonly ProjectStatus[] = [
  "pipeline",
  "implementation",
  "finalisation",
  "closed",
  "cancelled",
  "suspended",
];

export async function fetchProjects(query: ProjectListQuery) {
  return unwrap(await projectsApi.GET("/api/projects/v1/projects", { params: { query } }));
}

export const projectsQueryOptions = (query: ProjectListQuery) =>
  queryOptions({ queryKey: ["projects", "list", query], queryFn: () => fetchProjects(query) });
// The previous page stays on screen while the next loads: the table (and its sort buttons, focus included) is not
// replaced by a spinner on every filter, sort or page change.
export const useProjects = (query: ProjectListQuery) =>
  useQuery({ ...projectsQueryOptions(query), placeholderData: keepPreviousData });

/** Every project that matches (page by page, 200 at a time): for counts and CSV exports. */
export async function fetchAllProjects(query: Omit<ProjectListQuery, "page" | "page_size">): Promise<ProjectSummary[]> {
  const items: ProjectSummary[] = [];
  for (let page = 1; page < 1000; page += 1) {
    const result = await fetchProjects({ ...query, page, page_size: 200 });
    items.push(...result.items);
    if (items.length >= result.total || result.items.length === 0) break;
  }
  return items;
}

export const allProjectsQueryOptions = (query: Omit<ProjectListQuery, "page" | "page_size"> = {}) =>
  queryOptions({ queryKey: ["projects", "all", query], queryFn: () => fetchAllProjects(query) });
export const useAllProjects = (query?: Omit<ProjectListQuery, "page" | "page_size">) =>
  useQuery(allProjectsQueryOptions(query));

export type ProjectAccess = components["schemas"]["ProjectAccess"];

/** What the signed-in user may do on one project (read, report, edit, approve). */
export const projectAccessQueryOptions = (projectId: string, signedIn: boolean) =>
  queryOptions({
    queryKey: ["projects", "access", projectId, signedIn],
    queryFn: async () =>
      unwrap(
        await projectsApi.GET("/api/projects/v1/projects/{project_id}/access", {
          params: { path: { project_id: projectId } },
        }),
      ),
    enabled: signedIn,
  });
export const useProjectAccess = (projectId: string, signedIn: boolean) =>
  useQuery(projectAccessQueryOptions(projectId, signedIn));

export type ProjectCounts = components["schemas"]["ProjectCounts"];
export type CountBy = components["schemas"]["CountBy"];
export type ProjectCountsQuery = Omit<ProjectListQuery, "page" | "page_size"> & { by: CountBy[] };

/** How many visible projects match, per country, theme or status (one request; no project list needed). */
export const projectCountsQueryOptions = (query: ProjectCountsQuery) =>
  queryOptions({
    queryKey: ["projects", "counts", query],
    queryFn: async () => unwrap(await projectsApi.GET("/api/projects/v1/projects/counts", { params: { query } })),
  });
export const useProjectCounts = (query: ProjectCountsQuery) => useQuery(projectCountsQueryOptions(query));

/** One project's title (for lists that only carry project ids, e.g. the approval queue). */
export const projectTitleQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: ["projects", "title", projectId],
    queryFn: async () =>
      unwrap(
        await projectsApi.GET("/api/projects/v1/projects/{project_id}", {
          params: { path: { project_id: projectId } },
        }),
      ).title,
    staleTime: 5 * 60_000,
  });

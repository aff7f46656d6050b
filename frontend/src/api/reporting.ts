import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "@/api/generated/reporting";
import { unwrap } from "@/lib/problem";
import { reportingApi } from "@/lib/reporting-client";

export type Framework = components["schemas"]["Framework"];
export type Progress = components["schemas"]["Progress"];
export type ReportSummary = components["schemas"]["ReportSummary"];
export type ContextLatest = components["schemas"]["ContextLatest"];
export type ContextSeries = components["schemas"]["ContextSeries"];

const project = (projectId: string) => ({ path: { project_id: projectId } });

// Pages that learn the project id from another answer (a report) pass "" until then: nothing is asked for it, never
// `projects//framework`.
export const frameworkQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: ["reporting", "framework", projectId],
    queryFn: async () =>
      unwrap(
        await reportingApi.GET("/api/reporting/v1/projects/{project_id}/framework", { params: project(projectId) }),
      ),
    enabled: projectId !== "",
  });
export const useFramework = (projectId: string) => useQuery(frameworkQueryOptions(projectId));

export const progressQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: ["reporting", "progress", projectId],
    queryFn: async () =>
      unwrap(
        await reportingApi.GET("/api/reporting/v1/aggregations/progress/{project_id}", { params: project(projectId) }),
      ),
    enabled: projectId !== "",
  });
export const useProgress = (projectId: string) => useQuery(progressQueryOptions(projectId));

export const projectReportsQueryOptions = (projectId: string, enabled = true) =>
  queryOptions({
    queryKey: ["reporting", "reports", projectId],
    queryFn: async () =>
      unwrap(
        await reportingApi.GET("/api/reporting/v1/projects/{project_id}/reports", {
          params: { ...project(projectId), query: { page_size: 100 } },
        }),
      ),
    enabled,
  });
export const useProjectReports = (projectId: string, enabled = true) =>
  useQuery(projectReportsQueryOptions(projectId, enabled));

export const contextLatestQueryOptions = (country?: string) =>
  queryOptions({
    queryKey: ["reporting", "context-latest", country ?? null],
    queryFn: async () =>
      unwrap(
        await reportingApi.GET("/api/reporting/v1/aggregations/context", {
          params: { query: country ? { country } : {} },
        }),
      ),
    staleTime: 5 * 60_000,
  });
export const useContextLatest = (country?: string) => useQuery(contextLatestQueryOptions(country));

export const contextSeriesQueryOptions = (country: string) =>
  queryOptions({
    queryKey: ["reporting", "context-series", country],
    queryFn: async () =>
      unwrap(
        await reportingApi.GET("/api/reporting/v1/context/series", { params: { query: { country, page_size: 100 } } }),
      ),
  });
export const useContextSeries = (country: string) => useQuery(contextSeriesQueryOptions(country));

export function useCreateReport(projectId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (period: string) =>
      unwrap(
        await reportingApi.POST("/api/reporting/v1/projects/{project_id}/reports", {
          params: project(projectId),
          body: { period, narrative: null },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ["reporting", "reports", projectId] }),
  });
}

/** Submitted reports of every project the caller approves, oldest submission first (one request). */
export const awaitingMyApprovalQueryOptions = () =>
  queryOptions({
    queryKey: ["reporting", "reports", "awaiting-my-approval"],
    queryFn: async () =>
      unwrap(
        await reportingApi.GET("/api/reporting/v1/reports", {
          params: { query: { awaiting_my_approval: true, page_size: 50 } },
        }),
      ),
  });

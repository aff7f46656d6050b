import { queryOptions, useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "@/api/generated/reporting";
import { ApiError, toProblem, unwrap } from "@/lib/problem";
import { reportingApi } from "@/lib/reporting-client";

export type Report = components["schemas"]["Report"];
export type ValueIn = components["schemas"]["ValueIn"];
export type Indicator = components["schemas"]["Indicator"];
export type ReportHistory = components["schemas"]["History"];

export interface VersionedReport {
  report: Report;
  etag: string;
}

const reportPath = (reportId: string) => ({ path: { report_id: reportId } });

export const reportQueryOptions = (reportId: string) =>
  queryOptions({
    queryKey: ["reporting", "report", reportId],
    queryFn: async (): Promise<VersionedReport> => {
      const result = await reportingApi.GET("/api/reporting/v1/reports/{report_id}", { params: reportPath(reportId) });
      const report = unwrap(result);
      return { report, etag: result.response.headers.get("ETag") ?? `"${report.id}.${report.version}"` };
    },
  });
export const useReport = (reportId: string) => useQuery(reportQueryOptions(reportId));

export const reportHistoryQueryOptions = (reportId: string) =>
  queryOptions({
    queryKey: ["reporting", "report-history", reportId],
    queryFn: async () => unwrap(await reportingApi.GET("/api/reporting/v1/reports/{report_id}/history", { params: reportPath(reportId) })),
  });
export const useReportHistory = (reportId: string) => useQuery(reportHistoryQueryOptions(reportId));

/** Full indicator records (for their disaggregation dimensions), one query each. */
export function useIndicators(ids: readonly string[]) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: ["reporting", "indicator", id],
      queryFn: async () =>
        unwrap(await reportingApi.GET("/api/reporting/v1/indicators/{indicator_id}", { params: { path: { indicator_id: id } } })),
      staleTime: 10 * 60_000,
    })),
  });
}

type Step =
  | { kind: "narrative"; narrative: string | null }
  | { kind: "values"; values: ValueIn[] }
  | { kind: "submit" }
  | { kind: "approve"; comment: string | null }
  | { kind: "return"; comment: string | null };

async function runStep(reportId: string, etag: string, step: Step) {
  const params = { ...reportPath(reportId), header: { "if-match": etag } };
  switch (step.kind) {
    case "narrative":
      return reportingApi.PATCH("/api/reporting/v1/reports/{report_id}", { params, body: { narrative: step.narrative } });
    case "values":
      return reportingApi.PUT("/api/reporting/v1/reports/{report_id}/values", { params, body: { values: step.values } });
    case "submit":
      return reportingApi.POST("/api/reporting/v1/reports/{report_id}/submit", { params });
    case "approve":
      return reportingApi.POST("/api/reporting/v1/reports/{report_id}/approve", { params, body: { comment: step.comment } });
    case "return":
      return reportingApi.POST("/api/reporting/v1/reports/{report_id}/return", { params, body: { comment: step.comment } });
  }
}

/** Runs steps in order, each with the ETag the previous one returned; stops at the first problem. */
export function useReportSteps(reportId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ etag, steps }: { etag: string; steps: Step[] }) => {
      let current = etag;
      for (const step of steps) {
        const result = await runStep(reportId, current, step);
        if (!result.response.ok) throw new ApiError(toProblem(result.error, result.response));
        current = result.response.headers.get("ETag") ?? current;
      }
      return current;
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ["reporting"] });
    },
  });
}

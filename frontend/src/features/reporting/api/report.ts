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
    queryFn: async () =>
      unwrap(await reportingApi.GET("/api/reporting/v1/reports/{report_id}/history", { params: reportPath(reportId) })),
  });
export const useReportHistory = (reportId: string) => useQuery(reportHistoryQueryOptions(reportId));

/** Full indicator records (for their disaggregation dimensions), one query each. */
export function useIndicators(ids: readonly string[]) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: ["reporting", "indicator", id],
      queryFn: async () =>
        unwrap(
          await reportingApi.GET("/api/reporting/v1/indicators/{indicator_id}", {
            params: { path: { indicator_id: id } },
          }),
        ),
      staleTime: 10 * 60_000,
    })),
  });
}

export type Previous = components["schemas"]["Previous"];
export type ReportChanges = components["schemas"]["Changes"];

/** The project's earlier reports' values, to show beside each cell (DHIS2's habit). */
export const previousValuesQueryOptions = (reportId: string) =>
  queryOptions({
    queryKey: ["reporting", "report-previous", reportId],
    queryFn: async () =>
      unwrap(
        await reportingApi.GET("/api/reporting/v1/reports/{report_id}/previous", {
          params: { ...reportPath(reportId), query: { periods: 3 } },
        }),
      ),
  });
export const usePreviousValues = (reportId: string) => useQuery(previousValuesQueryOptions(reportId));

/** What changed since the report was last submitted (for the approver of a resubmission). */
export const reportChangesQueryOptions = (reportId: string, enabled: boolean) =>
  queryOptions({
    queryKey: ["reporting", "report-changes", reportId],
    queryFn: async () =>
      unwrap(await reportingApi.GET("/api/reporting/v1/reports/{report_id}/changes", { params: reportPath(reportId) })),
    enabled,
  });
export const useReportChanges = (reportId: string, enabled: boolean) =>
  useQuery(reportChangesQueryOptions(reportId, enabled));

type Result = { data?: Report; error?: unknown; response: Response };

function versioned(result: Result, fallback: string): VersionedReport {
  if (!result.response.ok || !result.data) throw new ApiError(toProblem(result.error, result.response));
  return { report: result.data, etag: result.response.headers.get("ETag") ?? fallback };
}

/**
 * Every change of a report goes through here: the answer (the report as stored, with its new ETag) replaces the
 * cached one, so the page updates in place (no remount: focus and "Saved." stay), and what depends on it refetches.
 */
function useReportMutation<Vars>(reportId: string, run: (vars: Vars) => Promise<VersionedReport>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: (saved) => {
      client.setQueryData(reportQueryOptions(reportId).queryKey, saved);
      void client.invalidateQueries({ queryKey: ["reporting", "report-history", reportId] });
      void client.invalidateQueries({ queryKey: ["reporting", "report-changes", reportId] });
      void client.invalidateQueries({ queryKey: ["reporting", "progress"] });
      void client.invalidateQueries({ queryKey: ["reporting", "reports"] });
      void client.invalidateQueries({ queryKey: ["reporting", "inbox"] });
      void client.invalidateQueries({ queryKey: ["notifications"] });
    },
  });
}

export interface DraftChanges {
  etag: string;
  /** Sent only when it changed (undefined: leave as is). */
  narrative?: string | null;
  values: ValueIn[];
}

/** Saves a draft: the narrative (if changed), then the values, each with the ETag the step before returned. */
export function useSaveDraft(reportId: string) {
  return useReportMutation(reportId, async ({ etag, narrative, values }: DraftChanges) => {
    const header = (tag: string) => ({ ...reportPath(reportId), header: { "if-match": tag } });
    let current: VersionedReport | null = null;
    if (narrative !== undefined) {
      current = versioned(
        await reportingApi.PATCH("/api/reporting/v1/reports/{report_id}", {
          params: header(etag),
          body: { narrative },
        }),
        etag,
      );
    }
    if (values.length > 0) {
      const tag = current?.etag ?? etag;
      current = versioned(
        await reportingApi.PUT("/api/reporting/v1/reports/{report_id}/values", {
          params: header(tag),
          body: { values },
        }),
        tag,
      );
    }
    if (!current) throw new Error("nothing to save");
    return current;
  });
}

/** Submits with the last changes in one request: refused (422), nothing of them is saved. */
export function useSubmitReport(reportId: string) {
  return useReportMutation(reportId, async ({ etag, narrative, values }: DraftChanges) => {
    const body = { values, ...(narrative !== undefined ? { narrative } : {}) };
    return versioned(
      await reportingApi.POST("/api/reporting/v1/reports/{report_id}/submit", {
        params: { ...reportPath(reportId), header: { "if-match": etag } },
        body,
      }),
      etag,
    );
  });
}

/** Approves, or returns with a comment. */
export function useDecision(reportId: string) {
  return useReportMutation(
    reportId,
    async ({ etag, approve, comment }: { etag: string; approve: boolean; comment: string | null }) => {
      const params = { ...reportPath(reportId), header: { "if-match": etag } };
      const result = approve
        ? await reportingApi.POST("/api/reporting/v1/reports/{report_id}/approve", { params, body: { comment } })
        : await reportingApi.POST("/api/reporting/v1/reports/{report_id}/return", { params, body: { comment } });
      return versioned(result, etag);
    },
  );
}

import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "@/api/generated/reporting";
import { unwrap } from "@/lib/problem";
import { reportingApi } from "@/lib/reporting-client";

export type Inbox = components["schemas"]["Inbox"];
export type DuePeriod = components["schemas"]["DuePeriod"];
export type InboxReport = components["schemas"]["InboxReport"];

export const inboxQueryOptions = () =>
  queryOptions({
    queryKey: ["reporting", "inbox"],
    queryFn: async () =>
      unwrap(await reportingApi.GET("/api/reporting/v1/reports/inbox", { params: { query: { limit: 50 } } })),
  });
export const useInbox = () => useQuery(inboxQueryOptions());

/** Starts the draft of a period that is due (the inbox lists periods of several projects). */
export function useStartReport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ projectId, period }: { projectId: string; period: string }) =>
      unwrap(
        await reportingApi.POST("/api/reporting/v1/projects/{project_id}/reports", {
          params: { path: { project_id: projectId } },
          body: { period, narrative: null },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ["reporting"] }),
  });
}

import { queryOptions, useQuery } from "@tanstack/react-query";
import type { components, operations } from "@/api/generated/projects";
import { projectsApi } from "@/lib/api-client";
import { unwrap } from "@/lib/problem";

export type FundingSummary = components["schemas"]["FundingSummary"];
export type SummaryRow = components["schemas"]["SummaryRow"];
export type FundingQuery = NonNullable<operations["funding-funding_summary"]["parameters"]["query"]>;

export const fundingSummaryQueryOptions = (query: FundingQuery) =>
  queryOptions({
    queryKey: ["funding", "summary", query],
    queryFn: async () => unwrap(await projectsApi.GET("/api/projects/v1/funding/summary", { params: { query } })),
  });
export const useFundingSummary = (query: FundingQuery) => useQuery(fundingSummaryQueryOptions(query));

export type Funder = components["schemas"]["Funder"];

/** Funders of the projects the caller may see, departments rolled up into their ministry; `q` matches either name. */
export const fundersQueryOptions = (q: string) =>
  queryOptions({
    queryKey: ["funding", "funders", q],
    queryFn: async () =>
      unwrap(
        await projectsApi.GET("/api/projects/v1/funding/funders", {
          params: { query: { page_size: 200, ...(q ? { q } : {}) } },
        }),
      ),
    staleTime: 5 * 60_000,
  });
export const useFunders = (q: string) => useQuery(fundersQueryOptions(q));

/** How a funder is named wherever funders are named: "Ministry of the Interior of the Czech Republic (OAMP)". */
export function funderLabel(funder: Pick<Funder, "name" | "label"> | null | undefined, unknown: string): string {
  return funder?.label ?? funder?.name ?? unknown;
}

/** The summary for the same query as a file the API writes (CSV or XLSX): the figures on screen, nothing recomputed. */
export async function downloadFundingSummary(query: FundingQuery, format: "csv" | "xlsx"): Promise<Blob> {
  const result = await projectsApi.GET("/api/projects/v1/funding/summary/export", {
    params: { query: { ...query, format } },
    parseAs: "blob",
  });
  return unwrap(result) as Blob;
}

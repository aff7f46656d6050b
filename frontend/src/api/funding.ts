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

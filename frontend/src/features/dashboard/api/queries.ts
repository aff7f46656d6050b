import type { QueryClient } from "@tanstack/react-query";
import { fundingSummaryQueryOptions, type FundingQuery } from "@/api/funding";
import { projectCountsQueryOptions, type ProjectCountsQuery } from "@/api/projects";
import { atlasQueryOptions } from "@/features/dashboard/api/atlas";

export const COUNTS_QUERY: ProjectCountsQuery = { by: ["country", "theme", "status"] };
export const FUNDING_BY_COUNTRY: FundingQuery = { group_by: ["country"] };
export const FUNDING_BY_FUNDER_YEAR: FundingQuery = { group_by: ["funder", "year"] };

/** Starts every request the dashboard needs, in parallel (the route's loader calls it while the page's chunk loads). */
export function prefetchDashboard(client: QueryClient): void {
  void client.prefetchQuery(projectCountsQueryOptions(COUNTS_QUERY));
  void client.prefetchQuery(fundingSummaryQueryOptions(FUNDING_BY_COUNTRY));
  void client.prefetchQuery(fundingSummaryQueryOptions(FUNDING_BY_FUNDER_YEAR));
  void client.prefetchQuery(atlasQueryOptions());
}

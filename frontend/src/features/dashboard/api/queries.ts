import type { QueryClient } from "@tanstack/react-query";
import { fundingSummaryQueryOptions, type FundingQuery } from "@/api/funding";
import { projectCountsQueryOptions, type ProjectCountsQuery } from "@/api/projects";
import { countsQuery, fundingQuery, parseFundingFilters, type FundingFilters } from "@/lib/funding-filters";
import { atlasQueryOptions } from "@/maps/atlas";

export const COUNTS_QUERY: ProjectCountsQuery = { by: ["country", "theme", "status"] };
export const FUNDING_BY_COUNTRY: FundingQuery = { group_by: ["country"] };
export const FUNDING_BY_FUNDER_YEAR: FundingQuery = { group_by: ["funder", "year"] };

/** The dashboard's three requests for the funding filters in its URL (none: the whole registry, as before). */
export function dashboardQueries(filters: FundingFilters) {
  const unfiltered =
    filters.funder.length + filters.country.length + filters.theme.length + filters.status.length === 0 &&
    !filters.yearFrom &&
    !filters.yearTo &&
    filters.type === "disbursement";
  if (unfiltered) return { counts: COUNTS_QUERY, byCountry: FUNDING_BY_COUNTRY, byFunderYear: FUNDING_BY_FUNDER_YEAR };
  return {
    counts: countsQuery(filters, COUNTS_QUERY.by),
    byCountry: fundingQuery(filters, ["country"]),
    byFunderYear: fundingQuery(filters, ["funder", "year"]),
  };
}

/** Starts every request the dashboard needs, in parallel (the route's loader calls it while the page's chunk loads). */
export function prefetchDashboard(client: QueryClient, params: URLSearchParams = new URLSearchParams()): void {
  const queries = dashboardQueries(parseFundingFilters(params));
  void client.prefetchQuery(projectCountsQueryOptions(queries.counts));
  void client.prefetchQuery(fundingSummaryQueryOptions(queries.byCountry));
  void client.prefetchQuery(fundingSummaryQueryOptions(queries.byFunderYear));
  void client.prefetchQuery(atlasQueryOptions());
}

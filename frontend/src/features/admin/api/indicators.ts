import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import type { components, operations } from "@/api/generated/reporting";
import { ifMatch } from "@/lib/etag";
import { useInvalidatingMutation } from "@/lib/mutations";
import { unwrap } from "@/lib/problem";
import { reportingApi } from "@/lib/reporting-client";

export type Indicator = components["schemas"]["Indicator"];
export type IndicatorCreate = components["schemas"]["IndicatorCreate"];
export type IndicatorUpdate = components["schemas"]["IndicatorUpdate"];
export type IndicatorQuery = NonNullable<operations["indicators-list_indicators"]["parameters"]["query"]>;

export const indicatorsQueryOptions = (query: IndicatorQuery) =>
  queryOptions({
    queryKey: ["reporting", "indicators", "list", query],
    queryFn: async () => unwrap(await reportingApi.GET("/api/reporting/v1/indicators", { params: { query } })),
    placeholderData: keepPreviousData,
  });
export const useIndicators = (query: IndicatorQuery) => useQuery(indicatorsQueryOptions(query));

const INDICATOR = "/api/reporting/v1/indicators/{indicator_id}";

export const indicatorQueryOptions = (id: string) =>
  queryOptions({
    queryKey: ["reporting", "indicators", "detail", id],
    queryFn: async () => unwrap(await reportingApi.GET(INDICATOR, { params: { path: { indicator_id: id } } })),
  });
export const useIndicator = (id: string) => useQuery({ ...indicatorQueryOptions(id), enabled: id !== "" });

const CATALOGUE = ["reporting", "indicators"];

export const useCreateIndicator = () =>
  useInvalidatingMutation(CATALOGUE, async (body: IndicatorCreate) =>
    unwrap(await reportingApi.POST("/api/reporting/v1/indicators", { body })),
  );

/** An indicator's path and the If-Match of the version the form was filled in from. */
const indicatorParams = (indicator: Indicator) => ({
  path: { indicator_id: indicator.id },
  header: ifMatch(indicator),
});

export const useUpdateIndicator = () =>
  useInvalidatingMutation(CATALOGUE, async ({ indicator, body }: { indicator: Indicator; body: IndicatorUpdate }) =>
    unwrap(await reportingApi.PATCH(INDICATOR, { params: indicatorParams(indicator), body })),
  );

export const useDeleteIndicator = () =>
  useInvalidatingMutation(CATALOGUE, async (indicator: Indicator) =>
    unwrap(await reportingApi.DELETE(INDICATOR, { params: indicatorParams(indicator) })),
  );

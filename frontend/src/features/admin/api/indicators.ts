import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components, operations } from "@/api/generated/reporting";
import { etagOf } from "@/lib/etag";
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

export const indicatorQueryOptions = (id: string) =>
  queryOptions({
    queryKey: ["reporting", "indicators", "detail", id],
    queryFn: async () =>
      unwrap(
        await reportingApi.GET("/api/reporting/v1/indicators/{indicator_id}", {
          params: { path: { indicator_id: id } },
        }),
      ),
  });
export const useIndicator = (id: string) => useQuery({ ...indicatorQueryOptions(id), enabled: id !== "" });

function useCatalogueMutation<V, R>(run: (vars: V) => Promise<R>) {
  const client = useQueryClient();
  // Not awaited: the refetched indicator remounts its form (keyed by version); the caller's onSuccess navigates first.
  return useMutation({
    mutationFn: run,
    onSuccess: () => void client.invalidateQueries({ queryKey: ["reporting", "indicators"] }),
  });
}

export const useCreateIndicator = () =>
  useCatalogueMutation(async (body: IndicatorCreate) =>
    unwrap(await reportingApi.POST("/api/reporting/v1/indicators", { body })),
  );

export const useUpdateIndicator = () =>
  useCatalogueMutation(async ({ indicator, body }: { indicator: Indicator; body: IndicatorUpdate }) =>
    unwrap(
      await reportingApi.PATCH("/api/reporting/v1/indicators/{indicator_id}", {
        params: { path: { indicator_id: indicator.id }, header: { "if-match": etagOf(indicator) } },
        body,
      }),
    ),
  );

export const useDeleteIndicator = () =>
  useCatalogueMutation(async (indicator: Indicator) =>
    unwrap(
      await reportingApi.DELETE("/api/reporting/v1/indicators/{indicator_id}", {
        params: { path: { indicator_id: indicator.id }, header: { "if-match": etagOf(indicator) } },
      }),
    ),
  );

import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "@/api/generated/reporting";
import { etagOf } from "@/lib/etag";
import { unwrap } from "@/lib/problem";
import { reportingApi } from "@/lib/reporting-client";

export type Result = components["schemas"]["Result"];
export type ResultCreate = components["schemas"]["ResultCreate"];
export type ResultUpdate = components["schemas"]["ResultUpdate"];
export type ProjectIndicator = components["schemas"]["ProjectIndicator"];
export type ProjectIndicatorIn = components["schemas"]["ProjectIndicatorIn"];
export type ProjectIndicatorUpdate = components["schemas"]["ProjectIndicatorUpdate"];
export type CatalogueIndicator = components["schemas"]["Indicator"];
export type TargetIn = components["schemas"]["TargetIn"];

/** The catalogue, for choosing an indicator and its disaggregation values (a few hundred at most). */
export const catalogueQueryOptions = () =>
  queryOptions({
    queryKey: ["reporting", "indicators", "catalogue"],
    queryFn: async () =>
      unwrap(await reportingApi.GET("/api/reporting/v1/indicators", { params: { query: { page_size: 200 } } })),
    staleTime: 60_000,
  });
export const useCatalogue = () => useQuery(catalogueQueryOptions());

const path = (projectId: string) => ({ project_id: projectId });

/** Every change to a framework refreshes the framework and the project's progress (both read it). */
function useFrameworkMutation<V, R>(projectId: string, run: (vars: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    // Not awaited: a refetched result remounts its card (keyed by version); the caller's onSuccess runs first.
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["reporting", "framework", projectId] });
      void client.invalidateQueries({ queryKey: ["reporting", "progress", projectId] });
    },
  });
}

export const useCreateResult = (projectId: string) =>
  useFrameworkMutation(projectId, async (body: ResultCreate) =>
    unwrap(
      await reportingApi.POST("/api/reporting/v1/projects/{project_id}/results", {
        params: { path: path(projectId) },
        body,
      }),
    ),
  );

export const useUpdateResult = (projectId: string) =>
  useFrameworkMutation(projectId, async ({ result, body }: { result: Result; body: ResultUpdate }) =>
    unwrap(
      await reportingApi.PATCH("/api/reporting/v1/projects/{project_id}/results/{result_id}", {
        params: { path: { ...path(projectId), result_id: result.id }, header: { "if-match": etagOf(result) } },
        body,
      }),
    ),
  );

export const useDeleteResult = (projectId: string) =>
  useFrameworkMutation(projectId, async (result: Result) =>
    unwrap(
      await reportingApi.DELETE("/api/reporting/v1/projects/{project_id}/results/{result_id}", {
        params: { path: { ...path(projectId), result_id: result.id }, header: { "if-match": etagOf(result) } },
      }),
    ),
  );

export const useAddIndicator = (projectId: string) =>
  useFrameworkMutation(projectId, async ({ resultId, body }: { resultId: string; body: ProjectIndicatorIn }) =>
    unwrap(
      await reportingApi.POST("/api/reporting/v1/projects/{project_id}/results/{result_id}/indicators", {
        params: { path: { ...path(projectId), result_id: resultId } },
        body,
      }),
    ),
  );

export const useUpdateIndicator = (projectId: string) =>
  useFrameworkMutation(projectId, async ({ id, body }: { id: string; body: ProjectIndicatorUpdate }) =>
    unwrap(
      await reportingApi.PUT("/api/reporting/v1/projects/{project_id}/indicators/{project_indicator_id}", {
        params: { path: { ...path(projectId), project_indicator_id: id } },
        body,
      }),
    ),
  );

export const useRemoveIndicator = (projectId: string) =>
  useFrameworkMutation(projectId, async (id: string) =>
    unwrap(
      await reportingApi.DELETE("/api/reporting/v1/projects/{project_id}/indicators/{project_indicator_id}", {
        params: { path: { ...path(projectId), project_indicator_id: id } },
      }),
    ),
  );

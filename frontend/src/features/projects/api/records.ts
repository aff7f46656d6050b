import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { components } from "@/api/generated/projects";
import { projectsApi } from "@/lib/api-client";
import { ApiError, toProblem } from "@/lib/problem";

export type ActivityCreate = components["schemas"]["ActivityCreate"];
export type ActivityUpdate = components["schemas"]["ActivityUpdate"];
export type BudgetCreate = components["schemas"]["BudgetCreate"];
export type BudgetUpdate = components["schemas"]["BudgetUpdate"];
export type TransactionUpdate = components["schemas"]["TransactionUpdate"];

/** The ETag of a row as the list delivered it (the services build it from id and version). */
export const etagOf = (row: { id: string; version: number }) => `"${row.id}.${row.version}"`;

function check(result: { error?: unknown; response: Response }) {
  if (!result.response.ok) throw new ApiError(toProblem(result.error, result.response));
}

/** Invalidates what a change to a project's activities, budgets or transactions shows elsewhere. */
function useInvalidate(projectId: string, list: "activities" | "budgets" | "transactions") {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: ["projects", list, projectId] });
    void client.invalidateQueries({ queryKey: ["projects", "history", projectId] });
    if (list !== "activities") void client.invalidateQueries({ queryKey: ["funding"] });
  };
}

/** Create (no etag) or PATCH with If-Match (a 412 comes back as an ApiError with status 412). */
export function useSaveActivity(projectId: string) {
  const invalidate = useInvalidate(projectId, "activities");
  return useMutation({
    mutationFn: async ({ body, id, etag }: { body: ActivityCreate; id?: string; etag?: string }) => {
      const path = { project_id: projectId };
      if (id && etag) {
        check(
          await projectsApi.PATCH("/api/projects/v1/projects/{project_id}/activities/{activity_id}", {
            params: { path: { ...path, activity_id: id }, header: { "if-match": etag } },
            body: body as ActivityUpdate,
          }),
        );
      } else {
        check(await projectsApi.POST("/api/projects/v1/projects/{project_id}/activities", { params: { path }, body }));
      }
    },
    onSuccess: invalidate,
  });
}

export function useDeleteActivity(projectId: string) {
  const invalidate = useInvalidate(projectId, "activities");
  return useMutation({
    mutationFn: async ({ id, etag }: { id: string; etag: string }) =>
      check(
        await projectsApi.DELETE("/api/projects/v1/projects/{project_id}/activities/{activity_id}", {
          params: { path: { project_id: projectId, activity_id: id }, header: { "if-match": etag } },
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useSaveBudget(projectId: string) {
  const invalidate = useInvalidate(projectId, "budgets");
  return useMutation({
    mutationFn: async ({ body, id, etag }: { body: BudgetCreate; id?: string; etag?: string }) => {
      const path = { project_id: projectId };
      if (id && etag) {
        check(
          await projectsApi.PATCH("/api/projects/v1/projects/{project_id}/budgets/{budget_id}", {
            params: { path: { ...path, budget_id: id }, header: { "if-match": etag } },
            body: body as BudgetUpdate,
          }),
        );
      } else {
        check(await projectsApi.POST("/api/projects/v1/projects/{project_id}/budgets", { params: { path }, body }));
      }
    },
    onSuccess: invalidate,
  });
}

export function useDeleteBudget(projectId: string) {
  const invalidate = useInvalidate(projectId, "budgets");
  return useMutation({
    mutationFn: async ({ id, etag }: { id: string; etag: string }) =>
      check(
        await projectsApi.DELETE("/api/projects/v1/projects/{project_id}/budgets/{budget_id}", {
          params: { path: { project_id: projectId, budget_id: id }, header: { "if-match": etag } },
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useUpdateTransaction(projectId: string) {
  const invalidate = useInvalidate(projectId, "transactions");
  return useMutation({
    mutationFn: async ({ body, id, etag }: { body: TransactionUpdate; id: string; etag: string }) =>
      check(
        await projectsApi.PATCH("/api/projects/v1/projects/{project_id}/transactions/{transaction_id}", {
          params: { path: { project_id: projectId, transaction_id: id }, header: { "if-match": etag } },
          body,
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useDeleteTransaction(projectId: string) {
  const invalidate = useInvalidate(projectId, "transactions");
  return useMutation({
    mutationFn: async ({ id, etag }: { id: string; etag: string }) =>
      check(
        await projectsApi.DELETE("/api/projects/v1/projects/{project_id}/transactions/{transaction_id}", {
          params: { path: { project_id: projectId, transaction_id: id }, header: { "if-match": etag } },
        }),
      ),
    onSuccess: invalidate,
  });
}

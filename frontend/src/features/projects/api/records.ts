import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { components } from "@/api/generated/projects";
import { projectsApi } from "@/lib/api-client";
import { ApiError, toProblem } from "@/lib/problem";

export type ActivityCreate = components["schemas"]["ActivityCreate"];
export type ActivityUpdate = components["schemas"]["ActivityUpdate"];
export type BudgetCreate = components["schemas"]["BudgetCreate"];
export type BudgetUpdate = components["schemas"]["BudgetUpdate"];
export type TransactionUpdate = components["schemas"]["TransactionUpdate"];

/** The lists a project's records live in (also their query keys: ["projects", list, projectId]). */
export type RecordList = "activities" | "budgets" | "transactions";

/** The ETag of a row as the list delivered it (the services build it from id and version). */
export const etagOf = (row: { id: string; version: number }) => `"${row.id}.${row.version}"`;

type Result = { error?: unknown; response: Response };
type ProjectPath = { project_id: string };
type IfMatch = { "if-match": string };

/** One sub-resource of a project, bound to its typed endpoints in the generated client. */
interface SubResource<Body> {
  list: RecordList;
  create?: (path: ProjectPath, body: Body) => Promise<Result>;
  update: (path: ProjectPath, id: string, header: IfMatch, body: Body) => Promise<Result>;
  remove: (path: ProjectPath, id: string, header: IfMatch) => Promise<Result>;
}

const ACTIVITIES: SubResource<ActivityCreate> = {
  list: "activities",
  create: (path, body) =>
    projectsApi.POST("/api/projects/v1/projects/{project_id}/activities", { params: { path }, body }),
  update: (path, id, header, body) =>
    projectsApi.PATCH("/api/projects/v1/projects/{project_id}/activities/{activity_id}", {
      params: { path: { ...path, activity_id: id }, header },
      body: body as ActivityUpdate,
    }),
  remove: (path, id, header) =>
    projectsApi.DELETE("/api/projects/v1/projects/{project_id}/activities/{activity_id}", {
      params: { path: { ...path, activity_id: id }, header },
    }),
};

const BUDGETS: SubResource<BudgetCreate> = {
  list: "budgets",
  create: (path, body) =>
    projectsApi.POST("/api/projects/v1/projects/{project_id}/budgets", { params: { path }, body }),
  update: (path, id, header, body) =>
    projectsApi.PATCH("/api/projects/v1/projects/{project_id}/budgets/{budget_id}", {
      params: { path: { ...path, budget_id: id }, header },
      body: body as BudgetUpdate,
    }),
  remove: (path, id, header) =>
    projectsApi.DELETE("/api/projects/v1/projects/{project_id}/budgets/{budget_id}", {
      params: { path: { ...path, budget_id: id }, header },
    }),
};

/** Transactions are created through useCreateTransaction (project.ts); here they are edited and deleted. */
const TRANSACTIONS: SubResource<TransactionUpdate> = {
  list: "transactions",
  update: (path, id, header, body) =>
    projectsApi.PATCH("/api/projects/v1/projects/{project_id}/transactions/{transaction_id}", {
      params: { path: { ...path, transaction_id: id }, header },
      body,
    }),
  remove: (path, id, header) =>
    projectsApi.DELETE("/api/projects/v1/projects/{project_id}/transactions/{transaction_id}", {
      params: { path: { ...path, transaction_id: id }, header },
    }),
};

function check(result: Result) {
  if (!result.response.ok) throw new ApiError(toProblem(result.error, result.response));
}

/** Invalidates what a change to a project's activities, budgets or transactions shows elsewhere. */
function useInvalidate(projectId: string, list: RecordList) {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: ["projects", list, projectId] });
    void client.invalidateQueries({ queryKey: ["projects", "history", projectId] });
    if (list !== "activities") void client.invalidateQueries({ queryKey: ["funding"] });
  };
}

/** Create (no etag) or PATCH with If-Match (a 412 comes back as an ApiError with status 412). */
function useSaveRecord<Body>(projectId: string, resource: SubResource<Body>) {
  const invalidate = useInvalidate(projectId, resource.list);
  return useMutation({
    mutationFn: async ({ body, id, etag }: { body: Body; id?: string; etag?: string }) => {
      const path = { project_id: projectId };
      if (id && etag) check(await resource.update(path, id, { "if-match": etag }, body));
      else if (resource.create) check(await resource.create(path, body));
      else throw new Error(`${resource.list}: no create endpoint here`);
    },
    onSuccess: invalidate,
  });
}

/** DELETE with If-Match. */
function useDeleteRecord<Body>(projectId: string, resource: SubResource<Body>) {
  const invalidate = useInvalidate(projectId, resource.list);
  return useMutation({
    mutationFn: async ({ id, etag }: { id: string; etag: string }) =>
      check(await resource.remove({ project_id: projectId }, id, { "if-match": etag })),
    onSuccess: invalidate,
  });
}

export const useSaveActivity = (projectId: string) => useSaveRecord(projectId, ACTIVITIES);
export const useDeleteActivity = (projectId: string) => useDeleteRecord(projectId, ACTIVITIES);
export const useSaveBudget = (projectId: string) => useSaveRecord(projectId, BUDGETS);
export const useDeleteBudget = (projectId: string) => useDeleteRecord(projectId, BUDGETS);
export const useUpdateTransaction = (projectId: string) => useSaveRecord(projectId, TRANSACTIONS);
export const useDeleteTransaction = (projectId: string) => useDeleteRecord(projectId, TRANSACTIONS);

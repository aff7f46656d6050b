import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { components } from "@/api/generated/projects";
import { wrapAsPathBasedClient } from "openapi-fetch";
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

/** A project's collection of records as the path-based client gives it (its POST). */
interface Collection<Create> {
  POST(init: { params: { path: ProjectPath }; body: Create }): Promise<Result>;
}

/** One record of a project as the path-based client gives it: `Key` names its id in the path. */
interface Item<Key extends string, Update> {
  PATCH(init: { params: { path: ProjectPath & Record<Key, string>; header: IfMatch }; body: Update }): Promise<Result>;
  DELETE(init: { params: { path: ProjectPath & Record<Key, string>; header: IfMatch } }): Promise<Result>;
}

const paths = wrapAsPathBasedClient(projectsApi);

/**
 * The three sub-resources share their calls; what differs is the paths (each checked by the generated client's types
 * where it is looked up below) and the name of the record's id in them.
 */
function subResource<Key extends string, Body extends Update, Update>(
  list: RecordList,
  key: Key,
  item: Item<Key, Update>,
  collection?: Collection<Body>,
): SubResource<Body> {
  const at = (path: ProjectPath, id: string) => ({ ...path, [key]: id }) as ProjectPath & Record<Key, string>;
  return {
    list,
    create: collection && ((path, body) => collection.POST({ params: { path }, body })),
    update: (path, id, header, body) => item.PATCH({ params: { path: at(path, id), header }, body }),
    remove: (path, id, header) => item.DELETE({ params: { path: at(path, id), header } }),
  };
}

const ACTIVITIES = subResource<"activity_id", ActivityCreate, ActivityUpdate>(
  "activities",
  "activity_id",
  paths["/api/projects/v1/projects/{project_id}/activities/{activity_id}"],
  paths["/api/projects/v1/projects/{project_id}/activities"],
);
const BUDGETS = subResource<"budget_id", BudgetCreate, BudgetUpdate>(
  "budgets",
  "budget_id",
  paths["/api/projects/v1/projects/{project_id}/budgets/{budget_id}"],
  paths["/api/projects/v1/projects/{project_id}/budgets"],
);
/** Transactions are created through useCreateTransaction (project.ts); here they are edited and deleted. */
const TRANSACTIONS = subResource<"transaction_id", TransactionUpdate, TransactionUpdate>(
  "transactions",
  "transaction_id",
  paths["/api/projects/v1/projects/{project_id}/transactions/{transaction_id}"],
);

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

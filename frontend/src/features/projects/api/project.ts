import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "@/api/generated/projects";
import { projectsApi } from "@/lib/api-client";
import { ApiError, toProblem, unwrap } from "@/lib/problem";

export type Project = components["schemas"]["Project"];
export type ProjectCreate = components["schemas"]["ProjectCreate"];
export type ProjectUpdate = components["schemas"]["ProjectUpdate"];
export type Activity = components["schemas"]["Activity"];
export type Transaction = components["schemas"]["Transaction"];
export type TransactionCreate = components["schemas"]["TransactionCreate"];
export type Budget = components["schemas"]["Budget"];
export type AuditEvent = components["schemas"]["AuditEventOut"];

/** A project with the ETag that a later PATCH must send as If-Match. */
export interface VersionedProject {
  project: Project;
  etag: string;
}

const path = (projectId: string) => ({ path: { project_id: projectId } });

export async function fetchProject(projectId: string): Promise<VersionedProject> {
  const result = await projectsApi.GET("/api/projects/v1/projects/{project_id}", { params: path(projectId) });
  const project = unwrap(result);
  return { project, etag: result.response.headers.get("ETag") ?? `"${project.id}.${project.version}"` };
}

export const projectQueryOptions = (projectId: string) =>
  queryOptions({ queryKey: ["projects", "detail", projectId], queryFn: () => fetchProject(projectId) });
export const useProject = (projectId: string) => useQuery(projectQueryOptions(projectId));

export const activitiesQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: ["projects", "activities", projectId],
    queryFn: async () =>
      unwrap(
        await projectsApi.GET("/api/projects/v1/projects/{project_id}/activities", {
          params: { ...path(projectId), query: { page_size: 200 } },
        }),
      ),
  });
export const useActivities = (projectId: string) => useQuery(activitiesQueryOptions(projectId));

export const transactionsQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: ["projects", "transactions", projectId],
    queryFn: async () =>
      unwrap(
        await projectsApi.GET("/api/projects/v1/projects/{project_id}/transactions", {
          params: { ...path(projectId), query: { page_size: 200 } },
        }),
      ),
  });
export const useTransactions = (projectId: string) => useQuery(transactionsQueryOptions(projectId));

export const budgetsQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: ["projects", "budgets", projectId],
    queryFn: async () =>
      unwrap(
        await projectsApi.GET("/api/projects/v1/projects/{project_id}/budgets", {
          params: { ...path(projectId), query: { page_size: 200 } },
        }),
      ),
  });
export const useBudgets = (projectId: string) => useQuery(budgetsQueryOptions(projectId));

export const historyQueryOptions = (projectId: string, signedIn: boolean) =>
  queryOptions({
    queryKey: ["projects", "history", projectId, signedIn],
    queryFn: async () =>
      unwrap(
        await projectsApi.GET("/api/projects/v1/projects/{project_id}/history", {
          params: { ...path(projectId), query: { page_size: 100 } },
        }),
      ),
    retry: false,
  });
export const useHistory = (projectId: string, signedIn: boolean) => useQuery(historyQueryOptions(projectId, signedIn));

export function useCreateProject() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: ProjectCreate) => unwrap(await projectsApi.POST("/api/projects/v1/projects", { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["projects"] }),
  });
}

/** PATCH with If-Match; a 412 (someone else saved first) comes back as an ApiError with status 412. */
export function useUpdateProject(projectId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, etag }: { body: ProjectUpdate; etag: string }) => {
      const result = await projectsApi.PATCH("/api/projects/v1/projects/{project_id}", {
        params: { path: { project_id: projectId }, header: { "if-match": etag } },
        body,
      });
      if (!result.response.ok) throw new ApiError(toProblem(result.error, result.response));
      return { project: result.data as Project, etag: result.response.headers.get("ETag") ?? etag };
    },
    onSuccess: (data) => {
      client.setQueryData(projectQueryOptions(projectId).queryKey, data);
      void client.invalidateQueries({ queryKey: ["projects", "list"] });
      void client.invalidateQueries({ queryKey: ["projects", "history", projectId] });
    },
  });
}

export function useCreateTransaction(projectId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: TransactionCreate) =>
      unwrap(
        await projectsApi.POST("/api/projects/v1/projects/{project_id}/transactions", {
          params: path(projectId),
          body,
        }),
      ),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["projects", "transactions", projectId] });
      void client.invalidateQueries({ queryKey: ["funding"] });
    },
  });
}

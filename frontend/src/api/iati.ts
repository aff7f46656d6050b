import { queryOptions, useQuery } from "@tanstack/react-query";
import type { components } from "@/api/generated/projects";
import { apiOrigin } from "@/config/env";
import { authFetch, projectsApi } from "@/lib/api-client";
import { downloadBlob } from "@/lib/csv";
import { ApiError, problemFromResponse, unwrap } from "@/lib/problem";

export type IatiImportSummary = components["schemas"]["IatiImportSummary"];
export type IatiImportJob = components["schemas"]["IatiImportJob"];
export type ActivityOutcome = components["schemas"]["ActivityOutcome"];
export type IatiImportOutcome = { kind: "summary"; summary: IatiImportSummary } | { kind: "job"; job: IatiImportJob };

type Query = Record<string, string | number | boolean | string[] | undefined | null>;

/** Downloads an IATI XML document with the bearer token (a plain link would go without it, and see public data only). */
export async function downloadIati(path: string, filename: string, query: Query = {}): Promise<void> {
  const url = new URL(`${apiOrigin()}/api/projects/v1${path}`);
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(v));
  }
  const response = await authFetch(new Request(url, { credentials: "same-origin" }));
  if (!response.ok) throw new ApiError(await problemFromResponse(response));
  downloadBlob(filename, await response.blob());
}

/** Uploads an IATI activities file; a small one answers its summary per activity, a large one a job to poll. */
export async function uploadIatiImport(file: File, dryRun: boolean): Promise<IatiImportOutcome> {
  const url = new URL(`${apiOrigin()}/api/projects/v1/iati/imports`);
  url.searchParams.set("dry_run", String(dryRun));
  const body = new FormData();
  body.append("file", file);
  const response = await authFetch(new Request(url, { method: "POST", body, credentials: "same-origin" }));
  if (response.status === 202) return { kind: "job", job: (await response.json()) as IatiImportJob };
  if (!response.ok) throw new ApiError(await problemFromResponse(response));
  return { kind: "summary", summary: (await response.json()) as IatiImportSummary };
}

export const iatiJobQueryOptions = (id: string) =>
  queryOptions({
    queryKey: ["projects", "iati-import", id],
    queryFn: async () =>
      unwrap(await projectsApi.GET("/api/projects/v1/iati/imports/{job_id}", { params: { path: { job_id: id } } })),
    refetchInterval: (query) =>
      query.state.data && ["done", "failed"].includes(query.state.data.status) ? false : 1000,
  });
export const useIatiJob = (id: string | null) => useQuery({ ...iatiJobQueryOptions(id ?? ""), enabled: id !== null });

import { queryOptions, useQuery } from "@tanstack/react-query";
import type { components } from "@/api/generated/reporting";
import { apiOrigin } from "@/config/env";
import { authFetch } from "@/lib/api-client";
import { ApiError, problemFromResponse, unwrap } from "@/lib/problem";
import { reportingApi } from "@/lib/reporting-client";

export type ImportSummary = components["schemas"]["ImportSummary"];
export type ImportJob = components["schemas"]["ImportJob"];
export type ImportOutcome = { kind: "summary"; summary: ImportSummary } | { kind: "job"; job: ImportJob };

export interface ImportRequest {
  file: File;
  dryRun: boolean;
  strategy: "create" | "update" | "create_and_update" | "delete";
  idempotencyKey: string;
}

/** Uploads a file (multipart); a small file answers its summary, a large one a job to poll. */
export async function uploadImport(request: ImportRequest): Promise<ImportOutcome> {
  const url = new URL(`${apiOrigin()}/api/reporting/v1/imports`);
  url.searchParams.set("dry_run", String(request.dryRun));
  url.searchParams.set("strategy", request.strategy);
  const body = new FormData();
  body.append("file", request.file);
  const response = await authFetch(
    new Request(url, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "Idempotency-Key": request.idempotencyKey },
    }),
  );
  if (response.status === 202) return { kind: "job", job: (await response.json()) as ImportJob };
  if (!response.ok) throw new ApiError(await problemFromResponse(response));
  return { kind: "summary", summary: (await response.json()) as ImportSummary };
}

export const importJobQueryOptions = (id: string) =>
  queryOptions({
    queryKey: ["reporting", "import", id],
    queryFn: async () =>
      unwrap(await reportingApi.GET("/api/reporting/v1/imports/{import_id}", { params: { path: { import_id: id } } })),
    refetchInterval: (query) =>
      query.state.data && ["done", "failed"].includes(query.state.data.status) ? false : 1000,
  });
export const useImportJob = (id: string | null) =>
  useQuery({ ...importJobQueryOptions(id ?? ""), enabled: id !== null });

/** Downloads an export with the bearer token (a plain link would go without it). */
export async function downloadExport(format: "csv" | "xlsx" | "json", includeUnapproved: boolean): Promise<void> {
  const url = new URL(`${apiOrigin()}/api/reporting/v1/exports/values`);
  url.searchParams.set("format", format);
  url.searchParams.set("include_unapproved", String(includeUnapproved));
  const response = await authFetch(new Request(url, { credentials: "same-origin" }));
  if (!response.ok) throw new ApiError(await problemFromResponse(response));
  const blob = await response.blob();
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = `indicator-values.${format}`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

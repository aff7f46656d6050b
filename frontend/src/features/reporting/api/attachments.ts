import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { components } from "@/api/generated/reporting";
import { apiOrigin } from "@/config/env";
import { authFetch } from "@/lib/api-client";
import { ApiError, problemFromResponse } from "@/lib/problem";
import { reportQueryOptions } from "@/features/reporting/api/report";

export type Attachment = components["schemas"]["Attachment"];

/** What the server accepts (it checks the content, not the name; this only narrows the file picker). */
export const ATTACHMENT_ACCEPT = ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.pptx,.odt,.ods,.csv,.txt";

const base = (reportId: string) =>
  `${apiOrigin()}/api/reporting/v1/reports/${encodeURIComponent(reportId)}/attachments`;

/** POST multipart/form-data; a 413 (too large) or 415 (type) comes back as an ApiError with the server's words. */
export async function uploadAttachment(reportId: string, file: File): Promise<Attachment> {
  const body = new FormData();
  body.append("file", file, file.name);
  const response = await authFetch(new Request(base(reportId), { method: "POST", body, credentials: "same-origin" }));
  if (!response.ok) throw new ApiError(await problemFromResponse(response));
  return (await response.json()) as Attachment;
}

export async function deleteAttachment(reportId: string, attachmentId: string): Promise<void> {
  const response = await authFetch(
    new Request(`${base(reportId)}/${encodeURIComponent(attachmentId)}`, {
      method: "DELETE",
      credentials: "same-origin",
    }),
  );
  if (!response.ok) throw new ApiError(await problemFromResponse(response));
}

/** The file with the in-memory token (a plain link would go without it), saved under its own name. */
export async function downloadAttachment(reportId: string, attachment: Attachment): Promise<void> {
  const response = await authFetch(
    new Request(`${base(reportId)}/${encodeURIComponent(attachment.id)}`, { credentials: "same-origin" }),
  );
  if (!response.ok) throw new ApiError(await problemFromResponse(response));
  const url = URL.createObjectURL(await response.blob());
  try {
    const link = document.createElement("a");
    link.href = url;
    link.download = attachment.filename;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

function useRefreshReport(reportId: string) {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: reportQueryOptions(reportId).queryKey });
}

export function useUploadAttachment(reportId: string) {
  const refresh = useRefreshReport(reportId);
  return useMutation({ mutationFn: (file: File) => uploadAttachment(reportId, file), onSuccess: refresh });
}

export function useDeleteAttachment(reportId: string) {
  const refresh = useRefreshReport(reportId);
  return useMutation({
    mutationFn: (attachmentId: string) => deleteAttachment(reportId, attachmentId),
    onSuccess: refresh,
  });
}

export function useDownloadAttachment(reportId: string) {
  return useMutation({ mutationFn: (attachment: Attachment) => downloadAttachment(reportId, attachment) });
}

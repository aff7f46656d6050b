import { useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ErrorPanel } from "@/components/ErrorPanel";
import { formatDate, formatNumber } from "@/lib/format";
import { ApiError } from "@/lib/problem";
import {
  ATTACHMENT_ACCEPT,
  useDeleteAttachment,
  useDownloadAttachment,
  useUploadAttachment,
  type Attachment,
} from "@/features/reporting/api/attachments";

function size(locale: string, bytes: number): string {
  if (bytes < 1024) return `${formatNumber(locale, bytes)} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(locale, bytes / 1024, 1)} KB`;
  return `${formatNumber(locale, bytes / (1024 * 1024), 1)} MB`;
}

/** The server's own words for a refused file (413 too large, 415 wrong type, 409 report locked). */
function UploadProblem({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return <ErrorPanel error={error} />;
  const status = error instanceof ApiError ? error.status : 0;
  const heading =
    status === 413
      ? t("attachments.tooLarge")
      : status === 415
        ? t("attachments.wrongType")
        : status === 409
          ? t("attachments.locked")
          : t("attachments.failed");
  const detail =
    error instanceof ApiError
      ? (error.problem.detail ?? error.problem.title)
      : error instanceof Error
        ? error.message
        : null;
  return (
    <div role="alert" className="panel panel-error" data-testid="attachment-problem">
      <p>
        <strong>{heading}</strong>
      </p>
      {detail ? <p>{detail}</p> : null}
    </div>
  );
}

/**
 * A report's attachments: everyone who can read the report can download them; reporters of the project add and
 * remove them while the report is a draft or returned (the server enforces the same).
 */
export function Attachments({
  reportId,
  attachments,
  editable,
}: {
  reportId: string;
  attachments: readonly Attachment[];
  editable: boolean;
}) {
  const { t, i18n } = useTranslation();
  const upload = useUploadAttachment(reportId);
  const remove = useDeleteAttachment(reportId);
  const download = useDownloadAttachment(reportId);
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    upload.mutate(file, {
      onSuccess: () => {
        setFile(null);
        if (input.current) input.current.value = "";
      },
    });
  }

  return (
    <section className="card" aria-labelledby="attachments-h" data-testid="attachments">
      <h2 id="attachments-h">{t("reports.attachments")}</h2>
      {attachments.length === 0 ? <p className="muted">{t("attachments.none")}</p> : null}
      {attachments.length > 0 ? (
        <ul className="attachment-list">
          {attachments.map((a) => (
            <li key={a.id}>
              <button
                type="button"
                className="link"
                onClick={() => download.mutate(a)}
                aria-label={t("attachments.download", { name: a.filename })}
              >
                {a.filename}
              </button>{" "}
              <span className="muted">
                {size(i18n.language, a.size)} · {formatDate(i18n.language, a.created_at)}
              </span>{" "}
              {editable ? (
                <button
                  type="button"
                  className="link-button"
                  disabled={remove.isPending}
                  onClick={() => {
                    if (window.confirm(t("attachments.confirmDelete", { name: a.filename }))) remove.mutate(a.id);
                  }}
                  aria-label={t("attachments.delete", { name: a.filename })}
                >
                  {t("common.remove")}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      <UploadProblem error={download.error ?? remove.error} />
      {editable ? (
        <form className="attachment-upload" onSubmit={submit} aria-label={t("attachments.add")}>
          <UploadProblem error={upload.error} />
          <div className="field">
            <label htmlFor="attachment-file">{t("attachments.file")}</label>
            <input
              id="attachment-file"
              ref={input}
              type="file"
              accept={ATTACHMENT_ACCEPT}
              aria-describedby="attachment-hint"
              onChange={(e) => {
                upload.reset();
                setFile(e.target.files?.[0] ?? null);
              }}
            />
            <small id="attachment-hint" className="hint">
              {t("attachments.hint")}
            </small>
          </div>
          <div className="form-actions">
            <button type="submit" disabled={!file || upload.isPending}>
              {upload.isPending ? t("imports.uploading") : t("attachments.add")}
            </button>
          </div>
        </form>
      ) : (
        <p className="muted">{t("attachments.lockedHint")}</p>
      )}
    </section>
  );
}

import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Loading } from "@/components/Loading";
import type { DryRunUpload } from "@/lib/dry-run-upload";

/** What an import page's upload card is called and says: translation keys, and the files its input takes. */
export interface DryRunUploadSetup {
  /** Element ids: `<id>-upload-h` for the card's heading, `<id>-file` for the file input. */
  id: string;
  accept: string;
  heading: string;
  help: string;
  needsRole: string;
  file: string;
  dryRun: string;
  apply: string;
  applyAfterDryRun: string;
  uploading: string;
}

/**
 * The card of an import page: pick a file, check it with a dry run (the form's submit), then import it for real once
 * `ready` says the dry run allows it. Those without the role see why, and a disabled form. More fields (`children`)
 * go after the file.
 */
export function DryRunUploadCard({
  setup,
  upload,
  canImport,
  ready,
  children,
}: {
  setup: DryRunUploadSetup;
  upload: DryRunUpload;
  canImport: boolean;
  ready: boolean;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const headingId = `${setup.id}-upload-h`;
  const fileId = `${setup.id}-file`;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t(setup.heading)}</h2>
      <p className="muted">{t(setup.help)}</p>
      {!canImport ? <p className="panel panel-warning">{t(setup.needsRole)}</p> : null}
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void upload.run(true);
        }}
      >
        <div className="field">
          <label htmlFor={fileId}>{t(setup.file)}</label>
          <input
            id={fileId}
            type="file"
            accept={setup.accept}
            disabled={!canImport}
            onChange={(e) => upload.choose(e.target.files?.[0] ?? null)}
          />
        </div>
        {children}
        <div className="form-actions wide">
          <button type="submit" className="primary" disabled={!upload.file || upload.busy || !canImport}>
            {t(setup.dryRun)}
          </button>
          <button
            type="button"
            disabled={!ready || upload.busy}
            onClick={() => void upload.run(false)}
            title={ready ? undefined : t(setup.applyAfterDryRun)}
          >
            {t(setup.apply)}
          </button>
        </div>
      </form>
      {upload.busy ? <Loading label={t(setup.uploading)} /> : null}
    </section>
  );
}

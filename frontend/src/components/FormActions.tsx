import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/** A form's save button (disabled and "working" while busy) followed by its cancel control. */
export function FormActions({ busy, cancel }: { busy: boolean; cancel: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="form-actions">
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t("common.working") : t("common.save")}
      </button>
      {cancel}
    </div>
  );
}

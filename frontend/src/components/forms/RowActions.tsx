import { useTranslation } from "react-i18next";

/** What a list of records offers on each row when the reader may change them (none when they may not). */
export interface RowActions<T> {
  onEdit: (row: T) => void;
  onDelete: (row: T) => void;
  busy: boolean;
}

/** A row's edit and delete buttons, named after the row for screen readers ("Edit Training day"). */
export function RowActionButtons<T>({ row, actions, label }: { row: T; actions: RowActions<T>; label: string }) {
  const { t } = useTranslation();
  return (
    <>
      <button
        type="button"
        className="link"
        disabled={actions.busy}
        onClick={() => actions.onEdit(row)}
        aria-label={t("common.editWhat", { what: label })}
      >
        {t("common.edit")}
      </button>{" "}
      <button
        type="button"
        className="link-button"
        disabled={actions.busy}
        onClick={() => actions.onDelete(row)}
        aria-label={t("common.deleteWhat", { what: label })}
      >
        {t("common.delete")}
      </button>
    </>
  );
}

import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

interface Props<R> {
  legend: string;
  /** The fieldset's class: "card" on a page, "subfieldset" inside a record's form. */
  className: string;
  /** An error about the list as a whole (from the API's problem+json), above the rows. */
  error?: string;
  rows: R[];
  onChange: (rows: R[]) => void;
  /** One row's fields; `change` patches that row. */
  renderRow: (row: R, index: number, change: (patch: Partial<R>) => void) => ReactNode;
  /** What a new row starts as. */
  newRow: () => R;
  addLabel: string;
  /** Whether a row may be removed now (a list that must keep one row says no to its last). */
  canRemove?: boolean;
  /** Said below the rows, before the add button (a running total). */
  footer?: ReactNode;
}

/** A list of like rows inside a fieldset: each row's fields with a remove button, and a button adding a row. */
export function RowsFieldset<R>({
  legend,
  className,
  error,
  rows,
  onChange,
  renderRow,
  newRow,
  addLabel,
  canRemove = true,
  footer,
}: Props<R>) {
  const { t } = useTranslation();
  const change = (index: number) => (patch: Partial<R>) =>
    onChange(rows.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  return (
    <fieldset className={className}>
      <legend>{legend}</legend>
      {error ? <p className="field-error">{error}</p> : null}
      {rows.map((row, index) => (
        <div className="row-fields" key={index}>
          {renderRow(row, index, change(index))}
          <button
            type="button"
            className="link-button"
            disabled={!canRemove}
            onClick={() => onChange(rows.filter((_, i) => i !== index))}
          >
            {t("common.remove")}
          </button>
        </div>
      ))}
      {footer}
      <button type="button" onClick={() => onChange([...rows, newRow()])}>
        {addLabel}
      </button>
    </fieldset>
  );
}

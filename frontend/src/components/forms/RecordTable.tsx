import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { RowActionButtons, type RowActions } from "@/components/forms/RowActions";

export interface Column<T> {
  header: ReactNode;
  /** Right-aligned (amounts). */
  num?: boolean;
  cell: (row: T) => ReactNode;
}

interface Props<T extends { id: string }> {
  /** Said to screen readers as the table's caption. */
  caption: string;
  testId?: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  /** Edit and delete on each row, with the row's name for their labels; no actions column without them. */
  actions?: RowActions<T>;
  rowLabel: (row: T) => string;
}

/** A table of a record's rows, one column per field, with a last column of row actions for those who may edit. */
export function RecordTable<T extends { id: string }>({ caption, testId, columns, rows, actions, rowLabel }: Props<T>) {
  const { t } = useTranslation();
  const num = (column: Column<T>) => (column.num ? "num" : undefined);
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column, index) => (
              <th key={index} scope="col" className={num(column)}>
                {column.header}
              </th>
            ))}
            {actions ? (
              <th scope="col">
                <span className="visually-hidden">{t("common.actions")}</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              {columns.map((column, index) => (
                <td key={index} className={num(column)}>
                  {column.cell(row)}
                </td>
              ))}
              {actions ? (
                <td className="row-actions">
                  <RowActionButtons row={row} actions={actions} label={rowLabel(row)} />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import type { ReactNode } from "react";

/** A column header: its text (or any content: a visually hidden label, say), and a class for its cells ("num"). */
export interface Column {
  label: ReactNode;
  className?: string;
  /** The API's sort key for this column: its header becomes a button that sorts by it, then the other way round. */
  sortBy?: string;
}

interface Props<T> {
  /** Names the table for screen readers (a visually hidden caption); the page's heading says it for everyone else. */
  caption: string;
  testId?: string;
  columns: readonly (string | Column)[];
  items: readonly T[];
  /** The row of one item: a <tr> with its key. */
  children: (item: T) => ReactNode;
  /** What the one row of an empty list says; none when left out. */
  empty?: ReactNode;
  emptyClassName?: string;
  /** The current sort key ("-start" for descending) and what choosing another does; needed by `sortBy` columns. */
  sort?: { current: string; onSort: (next: string) => void };
}

/** A list's table: hidden caption, column headers (sortable ones as buttons), a row per item, a row when it is empty. */
export function DataTable<T>({
  caption,
  testId,
  columns,
  items,
  children,
  empty,
  emptyClassName = "muted",
  sort,
}: Props<T>) {
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column, i) => {
              const { label, className, sortBy } = typeof column === "string" ? { label: column } : column;
              return sortBy !== undefined && sort ? (
                <SortHeader key={i} label={label} field={sortBy} {...sort} />
              ) : (
                <th key={i} scope="col" className={className}>
                  {label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {items.map((item) => children(item))}
          {empty !== undefined && items.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className={emptyClassName || undefined}>
                {empty}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

function SortHeader({
  label,
  field,
  current,
  onSort,
}: {
  label: ReactNode;
  field: string;
  current: string;
  onSort: (next: string) => void;
}) {
  const active = current.replace("-", "") === field;
  const descending = current.startsWith("-");
  return (
    <th scope="col" aria-sort={active ? (descending ? "descending" : "ascending") : "none"}>
      <button type="button" className="sort-button" onClick={() => onSort(active && !descending ? `-${field}` : field)}>
        {label}
        <span aria-hidden="true">{active ? (descending ? " ▼" : " ▲") : ""}</span>
      </button>
    </th>
  );
}

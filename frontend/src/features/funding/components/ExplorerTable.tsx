import { useTranslation } from "react-i18next";
import type { FundingSummary, SummaryRow } from "@/api/funding";
import { formatMoney, formatNumber } from "@/lib/format";
import type { Dimension } from "@/lib/funding-filters";
import { rowKey } from "@/features/funding/api/rows";

interface Props {
  summary: FundingSummary;
  dims: Dimension[];
  label: (row: SummaryRow, dim: Dimension) => string;
}

function NotConverted({ items }: { items: SummaryRow["not_converted"] }) {
  const { i18n } = useTranslation();
  if (!items || items.length === 0) return <>—</>;
  return <>{items.map((n) => formatMoney(i18n.language, n.amount, n.currency)).join(", ")}</>;
}

/** The summary's rows in its order, with the total below: the same figures, in the same order, as the download. */
export function ExplorerTable({ summary, dims, label }: Props) {
  const { t, i18n } = useTranslation();
  const total = summary.total;
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="explorer-table">
        <caption className="visually-hidden">{t("explorer.table")}</caption>
        <thead>
          <tr>
            {dims.map((dim) => (
              <th key={dim} scope="col">
                {t(`explorer.dims.${dim}`)}
              </th>
            ))}
            <th scope="col" className="num">
              EUR
            </th>
            <th scope="col" className="num">
              {t("explorer.notConverted")}
            </th>
            <th scope="col" className="num">
              {t("explorer.transactions")}
            </th>
          </tr>
        </thead>
        <tbody>
          {summary.rows.map((row) => (
            <tr key={dims.map((dim) => rowKey(row, dim)).join("|")}>
              {dims.map((dim, i) =>
                i === 0 ? (
                  <th key={dim} scope="row">
                    {label(row, dim)}
                  </th>
                ) : (
                  <td key={dim}>{label(row, dim)}</td>
                ),
              )}
              <td className="num">
                {row.eur_amount === null ? "—" : formatMoney(i18n.language, row.eur_amount, "EUR")}
              </td>
              <td className="num not-converted-cell">
                <NotConverted items={row.not_converted} />
              </td>
              <td className="num">{formatNumber(i18n.language, row.transactions)}</td>
            </tr>
          ))}
          {summary.rows.length === 0 ? (
            <tr>
              <td colSpan={dims.length + 3} className="muted">
                {t("explorer.noData")}
              </td>
            </tr>
          ) : null}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={Math.max(1, dims.length)}>
              {t("explorer.total")}
            </th>
            <td className="num" data-testid="explorer-table-total">
              {total.eur_amount === null ? "—" : formatMoney(i18n.language, total.eur_amount, "EUR")}
            </td>
            <td className="num not-converted-cell">
              <NotConverted items={total.not_converted} />
            </td>
            <td className="num">{formatNumber(i18n.language, total.transactions)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

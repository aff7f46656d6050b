import { useTranslation } from "react-i18next";
import { formatNumber } from "@/lib/format";

/** A small accessible bar list: a table whose cells draw their own bars. */
export function CountBars({
  caption,
  rows,
}: {
  caption: string;
  rows: { key: string; label: string; count: number }[];
}) {
  const { t, i18n } = useTranslation();
  const max = Math.max(1, ...rows.map((r) => r.count));
  return (
    <table className="bars">
      <caption>{caption}</caption>
      <thead className="visually-hidden">
        <tr>
          <th scope="col">{caption}</th>
          <th scope="col">{t("dashboard.projects")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <th scope="row">{row.label}</th>
            <td>
              <span className="bar" style={{ width: `${(row.count / max) * 100}%` }} />
              <span className="bar-value">{formatNumber(i18n.language, row.count)}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

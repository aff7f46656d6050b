import { useTranslation } from "react-i18next";
import type { Framework } from "@/api/reporting";
import type { Indicator } from "@/features/reporting/api/report";
import { cellKey, partsMismatch, type Cells } from "@/features/reporting/components/grid-model";

interface Props {
  framework: Framework;
  indicators: Map<string, Indicator>;
  cells: Cells;
  errors: Record<string, string>;
  readOnly: boolean;
  onChange: (key: string, value: string) => void;
}

/** Indicators × disaggregations (the first dimension of each indicator), with totals checked as you type. */
export function ReportGrid({ framework, indicators, cells, errors, readOnly, onChange }: Props) {
  const { t } = useTranslation();
  const rows = framework.results.flatMap((result) => result.indicators.map((pi) => ({ result, pi })));
  if (rows.length === 0) return <p className="muted">{t("results.none")}</p>;
  return (
    <div className="table-wrap">
      <table className="data-table grid" data-testid="report-grid">
        <caption className="visually-hidden">{t("reports.grid")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("reports.indicator")}</th>
            <th scope="col">{t("reports.total")}</th>
            <th scope="col">{t("reports.breakdown")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ result, pi }) => {
            const dimension = indicators.get(pi.indicator.id)?.dimensions?.[0];
            const totalKey = cellKey(pi.id, {});
            const partKeys = (dimension?.values ?? []).map((v) => ({ value: v, key: cellKey(pi.id, { [dimension?.code ?? ""]: v.code }) }));
            const mismatch = partsMismatch(cells[totalKey], partKeys.map((p) => cells[p.key]));
            const rowError = errors[pi.id];
            return (
              <tr key={pi.id}>
                <th scope="row">
                  {pi.indicator.name}
                  <span className="muted block">
                    {result.title}
                    {pi.indicator.unit ? ` · ${pi.indicator.unit}` : ""}
                  </span>
                </th>
                <td>
                  <input
                    aria-label={t("reports.cellTotal", { indicator: pi.indicator.name })}
                    inputMode="decimal"
                    value={cells[totalKey] ?? ""}
                    readOnly={readOnly}
                    aria-invalid={rowError || mismatch !== null ? true : undefined}
                    onChange={(e) => onChange(totalKey, e.target.value)}
                  />
                  {mismatch !== null ? (
                    <small className="field-error" role="status">
                      {t("reports.sumMismatch", { sum: mismatch })}
                    </small>
                  ) : null}
                  {rowError ? <small className="field-error">{rowError}</small> : null}
                </td>
                <td>
                  <div className="parts">
                    {partKeys.map(({ value, key }) => (
                      <label key={key} className="part">
                        <span>{value.name}</span>
                        <input
                          inputMode="decimal"
                          value={cells[key] ?? ""}
                          readOnly={readOnly}
                          aria-label={`${pi.indicator.name}: ${value.name}`}
                          onChange={(e) => onChange(key, e.target.value)}
                        />
                      </label>
                    ))}
                    {partKeys.length === 0 ? <span className="muted">—</span> : null}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

import { useTranslation } from "react-i18next";
import type { Framework } from "@/api/reporting";
import { useCodeName } from "@/i18n/names";
import { formatNumber } from "@/lib/format";
import { pickText } from "@/lib/narratives";
import type { Indicator } from "@/features/reporting/api/report";
import {
  cellKey,
  checkDimension,
  combinationKeys,
  isAdditive,
  parseKey,
  type Cells,
  type DimensionCheck,
  type Flags,
} from "@/features/reporting/components/grid-model";

interface Props {
  framework: Framework;
  indicators: Map<string, Indicator>;
  cells: Cells;
  flags?: Flags;
  errors: Record<string, string>;
  readOnly: boolean;
  onChange: (key: string, value: string) => void;
  onFlag?: (projectIndicatorId: string, incomplete: boolean) => void;
}

type Dimension = NonNullable<Indicator["dimensions"]>[number];

function CheckMessage({ check, dimension }: { check: DimensionCheck; dimension: string }) {
  const { t, i18n } = useTranslation();
  if (check.kind === "missing") {
    return (
      <small className={check.warning ? "hint" : "field-warning"} role="status">
        {t(check.warning ? "reports.markedIncomplete" : "reports.missingParts", { dimension, count: check.missing.length })}
      </small>
    );
  }
  const sum = formatNumber(i18n.language, check.sum, 4);
  const key = check.kind === "no-total" ? "reports.partsNeedTotal" : check.kind === "exceeds" ? "reports.partsExceed" : "reports.sumMismatch";
  return (
    <small className="field-error" role="status">
      {t(key, { dimension, sum })}
    </small>
  );
}

/**
 * Indicators × disaggregations: one block per dimension of each indicator (the API checks that each dimension's values
 * add up to the total), totals checked as you type. Values for combinations of dimensions (sent by an import) are
 * shown and editable beside them.
 */
export function ReportGrid({ framework, indicators, cells, flags = {}, errors, readOnly, onChange, onFlag }: Props) {
  const { t, i18n } = useTranslation();
  const dimensionName = useCodeName("dimensions");
  const valueName = useCodeName("dimensionValues");
  const unitName = useCodeName("units");
  const rows = framework.results.flatMap((result) => result.indicators.map((pi) => ({ result, pi })));
  if (rows.length === 0) return <p className="muted">{t("results.none")}</p>;
  const dimName = (d: Dimension) => dimensionName(d.code, d.name);
  const label = (d: Dimension, code: string, fallback: string) => valueName(`${d.code}.${code}`, fallback);
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
            const indicator = indicators.get(pi.indicator.id);
            const dimensions = indicator?.dimensions ?? [];
            const text = indicator?.measure === "qualitative";
            const additive = isAdditive(indicator) && dimensions.length > 0;
            const totalKey = cellKey(pi.id, {});
            const incomplete = flags[pi.id] === true;
            const checks = dimensions.map((d) => {
              const parts = d.values.map((v) => ({ code: v.code, value: cells[cellKey(pi.id, { [d.code]: v.code })] }));
              return additive ? checkDimension(cells[totalKey], parts, incomplete) : null;
            });
            const invalid = checks.some((c) => c !== null && c.kind !== "missing");
            const rowError = errors[pi.id];
            const combos = combinationKeys(cells, pi.id);
            // The reader's language when held, else the record's own (texts in several languages).
            const indicatorName = pickText(pi.indicator.names, i18n.language, pi.indicator.language, pi.indicator.name);
            return (
              <tr key={pi.id}>
                <th scope="row">
                  {indicatorName}
                  <span className="muted block">
                    {pickText(result.titles, i18n.language, result.language, result.title)}
                    {pi.indicator.unit ? ` · ${unitName(pi.indicator.unit)}` : ""}
                  </span>
                </th>
                <td>
                  {text ? (
                    <textarea
                      aria-label={t("reports.cellTotal", { indicator: indicatorName })}
                      rows={3}
                      value={cells[totalKey] ?? ""}
                      readOnly={readOnly}
                      onChange={(e) => onChange(totalKey, e.target.value)}
                    />
                  ) : (
                    <input
                      aria-label={t("reports.cellTotal", { indicator: indicatorName })}
                      inputMode="decimal"
                      value={cells[totalKey] ?? ""}
                      readOnly={readOnly}
                      aria-invalid={rowError || invalid ? true : undefined}
                      onChange={(e) => onChange(totalKey, e.target.value)}
                    />
                  )}
                  {additive ? (
                    <label className="checkbox small">
                      <input
                        type="checkbox"
                        checked={incomplete}
                        disabled={readOnly}
                        onChange={(e) => onFlag?.(pi.id, e.target.checked)}
                      />{" "}
                      {t("reports.incomplete")}
                    </label>
                  ) : null}
                  {rowError ? <small className="field-error">{rowError}</small> : null}
                </td>
                <td>
                  {dimensions.map((d, index) => {
                    const check = checks[index] ?? null;
                    return (
                      <fieldset key={d.code} className="parts" data-testid={`dimension-${d.code}`}>
                        <legend>{dimName(d)}</legend>
                        {d.values.map((v) => {
                          const key = cellKey(pi.id, { [d.code]: v.code });
                          return (
                            <label key={key} className="part">
                              <span>{label(d, v.code, v.name)}</span>
                              <input
                                inputMode={text ? "text" : "decimal"}
                                value={cells[key] ?? ""}
                                readOnly={readOnly}
                                aria-label={`${indicatorName}: ${label(d, v.code, v.name)} (${dimName(d)})`}
                                aria-invalid={check !== null && check.kind !== "missing" ? true : undefined}
                                onChange={(e) => onChange(key, e.target.value)}
                              />
                            </label>
                          );
                        })}
                        {check ? <CheckMessage check={check} dimension={dimName(d)} /> : null}
                      </fieldset>
                    );
                  })}
                  {combos.length > 0 ? (
                    <fieldset className="parts">
                      <legend>{t("reports.combinations")}</legend>
                      {combos.map((key) => {
                        const dis = parseKey(key).disaggregation;
                        const name = Object.entries(dis)
                          .map(([dim, code]) => {
                            const d = dimensions.find((x) => x.code === dim);
                            return d ? label(d, code, d.values.find((v) => v.code === code)?.name ?? code) : `${dim}=${code}`;
                          })
                          .join(" × ");
                        return (
                          <label key={key} className="part">
                            <span>{name}</span>
                            <input
                              inputMode="decimal"
                              value={cells[key] ?? ""}
                              readOnly={readOnly}
                              aria-label={`${indicatorName}: ${name}`}
                              onChange={(e) => onChange(key, e.target.value)}
                            />
                          </label>
                        );
                      })}
                    </fieldset>
                  ) : null}
                  {dimensions.length === 0 && combos.length === 0 ? <span className="muted">—</span> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

import { useId } from "react";
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

/** Earlier periods' values of one cell, newest first. */
export type PreviousValues = Map<string, { period: string; value: string }[]>;

interface Props {
  framework: Framework;
  indicators: Map<string, Indicator>;
  cells: Cells;
  flags?: Flags;
  /** Problems the API named, by project indicator (already in the user's language). */
  errors: Record<string, string>;
  readOnly: boolean;
  onChange: (key: string, value: string) => void;
  onFlag?: (projectIndicatorId: string, incomplete: boolean) => void;
  previous?: PreviousValues;
  /** Cells changed since the last submission (for the approver). */
  changed?: ReadonlySet<string>;
  /** Cells holding something that is not a number (not saved until corrected). */
  invalid?: ReadonlySet<string>;
}

type Dimension = NonNullable<Indicator["dimensions"]>[number];

function CheckMessage({ check, dimension }: { check: DimensionCheck; dimension: string }) {
  const { t, i18n } = useTranslation();
  if (check.kind === "missing") {
    return (
      <small className={check.warning ? "hint" : "field-warning"} role="status">
        {t(check.warning ? "reports.markedIncomplete" : "reports.missingParts", {
          dimension,
          count: check.missing.length,
        })}
      </small>
    );
  }
  const sum = formatNumber(i18n.language, check.sum, 4);
  const key =
    check.kind === "no-total"
      ? "reports.partsNeedTotal"
      : check.kind === "exceeds"
        ? "reports.partsExceed"
        : "reports.sumMismatch";
  return (
    <small className="field-error" role="status">
      {t(key, { dimension, sum })}
    </small>
  );
}

/** A number from the API ("18.0000") as the user reads numbers; text as written. */
function shown(value: string, language: string): string {
  return value !== "" && !Number.isNaN(Number(value)) ? formatNumber(language, value, 4) : value;
}

interface CellProps {
  cellKey: string;
  label: string;
  value: string;
  text?: boolean;
  readOnly: boolean;
  /** Not a number: said beside it. */
  invalid?: boolean;
  /** Part of a problem said elsewhere (a sum that does not add up, the API's refusal). */
  flagged?: boolean;
  changed?: boolean;
  previous?: { period: string; value: string }[];
  onChange: (key: string, value: string) => void;
}

/**
 * One value: an input while it can be changed, else plain text that looks read-only (no box to click into). Earlier
 * periods' values sit beside it and are read with it (aria-describedby); a change since the last submission is marked.
 */
function Cell({
  cellKey: key,
  label,
  value,
  text = false,
  readOnly,
  invalid,
  flagged,
  changed,
  previous = [],
  onChange,
}: CellProps) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const history = previous.slice(0, 3);
  const described = [history.length ? `${id}-prev` : null, invalid ? `${id}-err` : null, changed ? `${id}-chg` : null]
    .filter(Boolean)
    .join(" ");
  return (
    <span className={`cell${changed ? " changed" : ""}`}>
      {readOnly ? (
        <span
          className={`cell-readonly${text ? " text" : ""}`}
          aria-label={label}
          aria-describedby={described || undefined}
          data-cell={key}
        >
          {value === "" ? "—" : shown(value, i18n.language)}
        </span>
      ) : text ? (
        <textarea
          aria-label={label}
          rows={3}
          value={value}
          onChange={(e) => onChange(key, e.target.value)}
          aria-describedby={described || undefined}
        />
      ) : (
        <input
          aria-label={label}
          inputMode="decimal"
          value={value}
          aria-invalid={invalid || flagged ? true : undefined}
          aria-describedby={described || undefined}
          onChange={(e) => onChange(key, e.target.value)}
        />
      )}
      {changed ? (
        <small id={`${id}-chg`} className="changed-mark">
          {t("reports.changedMark")}
        </small>
      ) : null}
      {invalid ? (
        <small id={`${id}-err`} className="field-error">
          {t("validation.number")}
        </small>
      ) : null}
      {history.length ? (
        <small id={`${id}-prev`} className="previous" data-testid="previous-values">
          <span className="visually-hidden">{t("reports.previousLabel")} </span>
          {history.map((p) => `${p.period}: ${shown(p.value, i18n.language)}`).join(" · ")}
        </small>
      ) : null}
    </span>
  );
}

/**
 * Indicators × disaggregations: one block per dimension of each indicator (the API checks that each dimension's values
 * add up to the total), totals checked as you type. Values for combinations of dimensions (sent by an import) are
 * shown and editable beside them.
 */
export function ReportGrid({
  framework,
  indicators,
  cells,
  flags = {},
  errors,
  readOnly,
  onChange,
  onFlag,
  previous,
  changed,
  invalid,
}: Props) {
  const { t, i18n } = useTranslation();
  const dimensionName = useCodeName("dimensions");
  const valueName = useCodeName("dimensionValues");
  const unitName = useCodeName("units");
  const rows = framework.results.flatMap((result) => result.indicators.map((pi) => ({ result, pi })));
  if (rows.length === 0) return <p className="muted">{t("results.none")}</p>;
  const dimName = (d: Dimension) => dimensionName(d.code, d.name);
  const label = (d: Dimension, code: string, fallback: string) => valueName(`${d.code}.${code}`, fallback);
  const cell = (key: string, name: string, text = false, flagged = false) => (
    <Cell
      cellKey={key}
      label={name}
      value={cells[key] ?? ""}
      text={text}
      readOnly={readOnly}
      invalid={invalid?.has(key)}
      flagged={flagged}
      changed={changed?.has(key)}
      previous={previous?.get(key)}
      onChange={onChange}
    />
  );
  return (
    <div className="table-wrap">
      <table className={`data-table grid${readOnly ? " read-only" : ""}`} data-testid="report-grid">
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
              return additive && !readOnly ? checkDimension(cells[totalKey], parts, incomplete, i18n.language) : null;
            });
            const rowError = errors[pi.id];
            const sumProblem = checks.some((c) => c !== null && c.kind !== "missing");
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
                  {cell(
                    totalKey,
                    t("reports.cellTotal", { indicator: indicatorName }),
                    text,
                    Boolean(rowError) || sumProblem,
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
                  {rowError ? (
                    <small className="field-error" data-testid="cell-problem">
                      {rowError}
                    </small>
                  ) : null}
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
                            <div key={key} className="part">
                              <span aria-hidden="true">{label(d, v.code, v.name)}</span>
                              {cell(
                                key,
                                `${indicatorName}: ${label(d, v.code, v.name)} (${dimName(d)})`,
                                text,
                                check !== null && check.kind !== "missing",
                              )}
                            </div>
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
                            return d
                              ? label(d, code, d.values.find((v) => v.code === code)?.name ?? code)
                              : `${dim}=${code}`;
                          })
                          .join(" × ");
                        return (
                          <div key={key} className="part">
                            <span aria-hidden="true">{name}</span>
                            {cell(key, `${indicatorName}: ${name}`)}
                          </div>
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

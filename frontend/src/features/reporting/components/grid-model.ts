import { parseLocaleNumber } from "@/lib/number-input";
import type { Framework } from "@/api/reporting";
import type { Indicator, Report, ValueIn } from "@/features/reporting/api/report";

/** A number typed in the user's language as the API's decimal text without trailing zeros; null: not a number. */
export function canonicalNumber(text: string, language = "en"): string | null {
  const parsed = parseLocaleNumber(text, language);
  if (!parsed.ok || parsed.value === null) return null;
  const value = parsed.value.includes(".") ? parsed.value.replace(/0+$/, "").replace(/\.$/, "") : parsed.value;
  return value.replace(/^(-?)0+(?=\d)/, "$1");
}

/** The number in a cell, or NaN when it holds none (empty or not a number). */
export function numberOf(text: string | undefined, language = "en"): number {
  const canonical = canonicalNumber(text ?? "", language);
  return canonical === null ? Number.NaN : Number(canonical);
}

export type Cells = Record<string, string>;
/** Per project indicator: its total is knowingly incomplete (a partial breakdown is then allowed). */
export type Flags = Record<string, boolean>;

export function disaggregationKey(disaggregation: Record<string, unknown>): string {
  return Object.keys(disaggregation)
    .sort()
    .map((k) => `${k}=${String(disaggregation[k])}`)
    .join(";");
}

export function cellKey(projectIndicatorId: string, disaggregation: Record<string, unknown>): string {
  return `${projectIndicatorId}|${disaggregationKey(disaggregation)}`;
}

export function parseKey(key: string): { projectIndicatorId: string; disaggregation: Record<string, string> } {
  const [projectIndicatorId = "", dis = ""] = key.split("|");
  const disaggregation: Record<string, string> = {};
  for (const part of dis.split(";").filter(Boolean)) {
    const [k = "", v = ""] = part.split("=");
    disaggregation[k] = v;
  }
  return { projectIndicatorId, disaggregation };
}

/** The report's values as grid cells; numbers shown without the API's trailing zeros. */
export function cellsFromReport(report: Report): Cells {
  const cells: Cells = {};
  for (const value of report.values) {
    const shown =
      value.value === null || value.value === undefined ? (value.text_value ?? "") : String(Number(value.value));
    cells[cellKey(value.project_indicator_id, value.disaggregation as Record<string, unknown>)] = shown;
  }
  return cells;
}

export function flagsFromReport(report: Report): Flags {
  const flags: Flags = {};
  for (const value of report.values) {
    if (Object.keys(value.disaggregation).length === 0 && value.incomplete) flags[value.project_indicator_id] = true;
  }
  return flags;
}

interface ChangeOptions {
  /** Qualitative indicators take text_value instead of value. */
  isText?: (projectIndicatorId: string) => boolean;
  flagsBefore?: Flags;
  flagsAfter?: Flags;
  /** The language numbers are typed in ("12,5" in Czech is 12.5). */
  language?: string;
}

/** Cells holding something that is not a number where a number is wanted (they are not sent). */
export function invalidCells(cells: Cells, isText: (projectIndicatorId: string) => boolean, language = "en"): string[] {
  return Object.keys(cells).filter((key) => {
    const text = (cells[key] ?? "").trim();
    return text !== "" && !isText(parseKey(key).projectIndicatorId) && canonicalNumber(text, language) === null;
  });
}

/**
 * What changed between two grids, as the API's value changes (an emptied cell is deleted). A total whose
 * "incomplete" mark changed is sent again with its mark.
 */
export function changedValues(before: Cells, after: Cells, options: ChangeOptions = {}): ValueIn[] {
  const { isText = () => false, flagsBefore = {}, flagsAfter = {}, language = "en" } = options;
  const out: ValueIn[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const { projectIndicatorId, disaggregation } = parseKey(key);
    const text = isText(projectIndicatorId);
    const was = (before[key] ?? "").trim();
    const now = (after[key] ?? "").trim();
    // Numbers compare by value in the user's language: "25", "25.0" and "25,0" (Czech) are one value.
    const number = text ? null : canonicalNumber(now, language);
    const same = text || now === "" ? was === now : canonicalNumber(was, language) === number;
    const isTotal = Object.keys(disaggregation).length === 0;
    const incomplete = isTotal && flagsAfter[projectIndicatorId] === true;
    const flagChanged = isTotal && (flagsBefore[projectIndicatorId] === true) !== incomplete;
    if (same && !(flagChanged && now !== "")) continue;
    if (now === "") {
      out.push({ project_indicator_id: projectIndicatorId, disaggregation, delete: true, incomplete: false });
    } else if (text) {
      out.push({
        project_indicator_id: projectIndicatorId,
        disaggregation,
        text_value: now,
        incomplete,
        delete: false,
      });
    } else if (number !== null) {
      out.push({ project_indicator_id: projectIndicatorId, disaggregation, value: number, incomplete, delete: false });
    }
  }
  return out;
}

/** For a total with parts: the parts' sum when it differs from the entered total, else null. */
export function partsMismatch(total: string | undefined, parts: readonly (string | undefined)[]): number | null {
  const filled = parts.filter((p) => p !== undefined && p.trim() !== "");
  if (!total || total.trim() === "" || filled.length === 0) return null;
  const sum = filled.reduce((acc, p) => acc + Number(p), 0);
  return Math.abs(sum - Number(total)) > 1e-9 ? sum : null;
}

/** Whether the API checks that an indicator's breakdowns add up (sum of counts or money). */
export function isAdditive(indicator: Pick<Indicator, "aggregation" | "measure"> | undefined): boolean {
  return (
    indicator !== undefined &&
    indicator.aggregation === "sum" &&
    (indicator.measure === "number" || indicator.measure === "currency")
  );
}

export type DimensionCheck =
  | { kind: "no-total"; sum: number }
  | { kind: "sum"; sum: number }
  | { kind: "exceeds"; sum: number }
  | { kind: "missing"; missing: string[]; warning: boolean };

/**
 * The API's submit rule for one dimension, checked as you type: all its values given → they add up to the total;
 * some given → they may not exceed it, and the missing ones need values or the total marked incomplete.
 */
export function checkDimension(
  total: string | undefined,
  parts: readonly { code: string; value: string | undefined }[],
  incomplete: boolean,
  language = "en",
): DimensionCheck | null {
  const filled = parts.filter((p) => !Number.isNaN(numberOf(p.value, language)));
  if (filled.length === 0) return null;
  const sum = filled.reduce((acc, p) => acc + numberOf(p.value, language), 0);
  const target = numberOf(total, language);
  if (Number.isNaN(target)) return { kind: "no-total", sum };
  if (filled.length === parts.length) return Math.abs(sum - target) > 1e-9 ? { kind: "sum", sum } : null;
  if (sum - target > 1e-9) return { kind: "exceeds", sum };
  const given = new Set(filled.map((p) => p.code));
  return { kind: "missing", missing: parts.filter((p) => !given.has(p.code)).map((p) => p.code), warning: incomplete };
}

/** Values of combinations of several dimensions (e.g. from an import): kept and shown, but not in the blocks. */
export function combinationKeys(cells: Cells, projectIndicatorId: string): string[] {
  return Object.keys(cells)
    .filter((key) => key.startsWith(`${projectIndicatorId}|`) && Object.keys(parseKey(key).disaggregation).length > 1)
    .sort();
}

/**
 * The framework as this report's grid shows it: only the indicators reported at a frequency its period is one of (the
 * API refuses a yearly indicator's value in a quarter's report), plus any that already hold a value here (never hidden);
 * the others listed apart, with their frequency.
 */
export function frameworkForPeriod(
  framework: Framework,
  report: Pick<Report, "frequencies" | "values">,
): { shown: Framework; elsewhere: Framework["results"][number]["indicators"] } {
  const fits = new Set<string>(report.frequencies);
  const holding = new Set(report.values.map((v) => v.project_indicator_id));
  const inPeriod = (pi: Framework["results"][number]["indicators"][number]) =>
    fits.has(pi.frequency) || holding.has(pi.id);
  return {
    shown: {
      ...framework,
      results: framework.results.map((r) => ({ ...r, indicators: r.indicators.filter(inPeriod) })),
    },
    elsewhere: framework.results.flatMap((r) => r.indicators.filter((pi) => !inPeriod(pi))),
  };
}

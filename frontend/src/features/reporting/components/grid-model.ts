import type { Report, ValueIn } from "@/features/reporting/api/report";

export type Cells = Record<string, string>;

export function disaggregationKey(disaggregation: Record<string, unknown>): string {
  return Object.keys(disaggregation)
    .sort()
    .map((k) => `${k}=${String(disaggregation[k])}`)
    .join(";");
}

export function cellKey(projectIndicatorId: string, disaggregation: Record<string, unknown>): string {
  return `${projectIndicatorId}|${disaggregationKey(disaggregation)}`;
}

function parseKey(key: string): { projectIndicatorId: string; disaggregation: Record<string, string> } {
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
    const shown = value.value === null || value.value === undefined ? (value.text_value ?? "") : String(Number(value.value));
    cells[cellKey(value.project_indicator_id, value.disaggregation as Record<string, unknown>)] = shown;
  }
  return cells;
}

/** What changed between two grids, as the API's value changes (an emptied cell is deleted). */
export function changedValues(before: Cells, after: Cells): ValueIn[] {
  const out: ValueIn[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = (before[key] ?? "").trim();
    const now = (after[key] ?? "").trim();
    if (was === now) continue;
    const { projectIndicatorId, disaggregation } = parseKey(key);
    if (now === "") {
      out.push({ project_indicator_id: projectIndicatorId, disaggregation, delete: true, incomplete: false });
    } else {
      out.push({ project_indicator_id: projectIndicatorId, disaggregation, value: now, incomplete: false, delete: false });
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

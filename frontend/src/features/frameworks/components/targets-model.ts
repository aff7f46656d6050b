import type { CatalogueIndicator, ProjectIndicator, TargetIn } from "@/features/frameworks/api/framework";

/** A target as the form holds it: period text ("" = over the whole project), one disaggregation value or the total. */
export interface TargetRow {
  period: string;
  /** "" for the total, else "dimension=value" (e.g. "sex=f"). */
  part: string;
  value: string;
}

export const partOf = (disaggregation: Record<string, string> | undefined): string =>
  Object.entries(disaggregation ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join("&");

export function rowsFromTargets(pi: ProjectIndicator | undefined): TargetRow[] {
  return (pi?.targets ?? []).map((t) => ({
    period: t.period ?? "",
    part: partOf(t.disaggregation),
    value: String(Number(t.value)),
  }));
}

/** Decimal commas are read as points ("12,5" → "12.5"), as Czech and Russian write them. */
export const decimal = (text: string) => text.trim().replace(/\s/g, "").replace(",", ".");

export function targetsFromRows(rows: readonly TargetRow[]): TargetIn[] {
  return rows.map((row) => ({
    period: row.period.trim() || null,
    disaggregation: Object.fromEntries(
      row.part
        .split("&")
        .filter(Boolean)
        .map((pair) => pair.split("=", 2) as [string, string]),
    ),
    value: decimal(row.value),
  }));
}

/** The choices of "for whom" a target is: the total, then every value of every dimension of the indicator. */
export function partChoices(
  indicator: CatalogueIndicator | undefined,
  names: {
    dimension: (code: string, fallback?: string) => string;
    value: (dim: string, code: string, fallback?: string) => string;
    total: string;
  },
): { value: string; label: string }[] {
  const out = [{ value: "", label: names.total }];
  for (const dim of indicator?.dimensions ?? []) {
    for (const v of dim.values) {
      out.push({
        value: `${dim.code}=${v.code}`,
        label: `${names.dimension(dim.code, dim.name)}: ${names.value(dim.code, v.code, v.name)}`,
      });
    }
  }
  return out;
}

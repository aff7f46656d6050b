import type { SummaryRow } from "@/api/funding";
import type { Dimension } from "@/lib/funding-filters";

/** A summary row's value of one dimension, as a stable key (for React and for the chart's series). */
export function rowKey(row: SummaryRow, dim: Dimension): string {
  switch (dim) {
    case "funder":
      return row.funder?.id ?? "";
    case "country":
      return row.country?.code ?? "";
    case "theme":
      return row.theme?.code ?? "";
    case "year":
      return row.year === null || row.year === undefined ? "" : String(row.year);
    case "status":
      return row.status ?? "";
  }
}

export interface ChartData {
  /** One entry per value of the rows dimension, in the summary's order (years ascending). */
  bars: { key: string; label: string; values: Record<string, number> }[];
  /** The series: the split dimension's values (one series, "eur", without a split). */
  series: { key: string; label: string }[];
}

/**
 * Places the summary's rows in a chart: each (rows value, split value) is one row of the summary, so every bar segment
 * is a figure the API computed; nothing is added up here. Amounts without a EUR value are not in the chart (the
 * table and the total show them apart).
 */
export function chartData(
  rows: readonly SummaryRow[],
  dims: { rows: Dimension; split: Dimension | null },
  label: (row: SummaryRow, dim: Dimension) => string,
): ChartData {
  const bars = new Map<string, ChartData["bars"][number]>();
  const series = new Map<string, string>();
  for (const row of rows) {
    const key = rowKey(row, dims.rows);
    let bar = bars.get(key);
    if (!bar) {
      bar = { key, label: label(row, dims.rows), values: {} };
      bars.set(key, bar);
    }
    const seriesKey = dims.split ? rowKey(row, dims.split) || "none" : "eur";
    if (!series.has(seriesKey)) series.set(seriesKey, dims.split ? label(row, dims.split) : "EUR");
    bar.values[seriesKey] = Number(row.eur_amount ?? 0);
  }
  const ordered = [...bars.values()];
  if (dims.rows === "year") ordered.sort((a, b) => a.key.localeCompare(b.key));
  return { bars: ordered, series: [...series.entries()].map(([key, name]) => ({ key, label: name })) };
}

import { funderLabel, type SummaryRow } from "@/api/funding";
import type { ProjectCounts } from "@/api/projects";

export interface CountryAggregate {
  code: string;
  name: string;
  /** EUR of the amounts that have a EUR value. */
  eur: number;
  /** Whether any amount has a EUR value (a country whose money is all in GEL has none: not "EUR 0"). */
  hasEur: boolean;
  /** Amounts without a EUR value, per currency (the ECB has no GEL or MDL rate; an admin may add one). */
  notConverted: { currency: string; amount: number }[];
  projects: number;
}

/** EUR by country (from funding rows grouped by country) joined with project counts by country. */
export function aggregateByCountry(
  rows: readonly SummaryRow[],
  counts: ProjectCounts["by"]["country"] = [],
): CountryAggregate[] {
  const out = new Map<string, CountryAggregate>();
  const get = (code: string, name: string) => {
    let entry = out.get(code);
    if (!entry) {
      entry = { code, name, eur: 0, hasEur: false, notConverted: [], projects: 0 };
      out.set(code, entry);
    }
    return entry;
  };
  for (const row of rows) {
    if (!row.country) continue;
    const entry = get(row.country.code, row.country.name);
    const unconverted = row.not_converted ?? [];
    const eur = row.eur_amount === null || row.eur_amount === undefined ? 0 : Number(row.eur_amount);
    // A row whose transactions are all unconverted carries EUR 0 (or none): that is no EUR value, not zero euros.
    if (eur !== 0 || (row.transactions > 0 && unconverted.length === 0)) entry.hasEur = true;
    entry.eur += eur;
    for (const n of unconverted) {
      const same = entry.notConverted.find((x) => x.currency === n.currency);
      if (same) same.amount += Number(n.amount);
      else entry.notConverted.push({ currency: n.currency, amount: Number(n.amount) });
    }
  }
  for (const row of counts) get(row.key, row.key).projects += row.projects;
  return [...out.values()];
}

export function countBy<T>(items: readonly T[], keys: (item: T) => readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) for (const key of keys(item)) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

export interface FunderYearData {
  years: { year: number; [funder: string]: number }[];
  funders: string[];
}

/** Pivots funding rows grouped by funder and year into one bar per year, stacked by funder. */
export function pivotFunderYear(rows: readonly SummaryRow[], unknownFunder: string): FunderYearData {
  const byYear = new Map<number, Record<string, number>>();
  const funders = new Set<string>();
  for (const row of rows) {
    if (row.year === null || row.year === undefined) continue;
    // Named as everywhere funders are named: departments within their ministry ("Ministry of the Interior (OAMP)").
    const funder = funderLabel(row.funder, unknownFunder);
    funders.add(funder);
    const entry = byYear.get(row.year) ?? {};
    entry[funder] = (entry[funder] ?? 0) + Number(row.eur_amount);
    byYear.set(row.year, entry);
  }
  const years = [...byYear.entries()].sort(([a], [b]) => a - b).map(([year, values]) => ({ year, ...values }));
  return { years, funders: [...funders].sort() };
}

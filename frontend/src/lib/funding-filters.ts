import type { FundingQuery } from "@/api/funding";
import { PROJECT_STATUSES, type ProjectCountsQuery, type ProjectStatus } from "@/api/projects";

/**
 * The funding filters the explorer and the dashboard share, kept in the page's URL so a view can be shared:
 * `?funder=<id>&country=BA&year_from=2004&theme=…&status=…&type=commitment`, and on the explorer `rows=` and `split=`.
 */
export type TransactionType = NonNullable<FundingQuery["transaction_type"]>[number];
export type Dimension = "funder" | "country" | "year" | "theme" | "status";

export const DIMENSIONS: readonly Dimension[] = ["funder", "country", "year", "theme", "status"];
export const TRANSACTION_TYPES: readonly TransactionType[] = [
  "disbursement",
  "commitment",
  "expenditure",
  "incoming-funds",
];

export interface FundingFilters {
  funder: string[];
  country: string[];
  theme: string[];
  status: ProjectStatus[];
  yearFrom?: number;
  yearTo?: number;
  type: TransactionType;
}

export interface ExplorerView {
  rows: Dimension;
  split: Dimension | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CODE = /^[A-Za-z0-9-]{1,40}$/;

function year(value: string | null): number | undefined {
  const n = Number(value);
  return value && Number.isInteger(n) && n >= 1900 && n <= 2999 ? n : undefined;
}

const unique = <T>(values: T[]) => [...new Set(values)];

/** The filters in a URL; anything malformed is dropped rather than sent. */
export function parseFundingFilters(params: URLSearchParams): FundingFilters {
  const type = params.get("type");
  return {
    funder: unique(params.getAll("funder").filter((v) => UUID.test(v))),
    country: unique(params.getAll("country").filter((v) => /^[A-Z]{2}$/.test(v))),
    theme: unique(params.getAll("theme").filter((v) => CODE.test(v))),
    status: unique(
      params.getAll("status").filter((v): v is ProjectStatus => (PROJECT_STATUSES as readonly string[]).includes(v)),
    ),
    yearFrom: year(params.get("year_from")),
    yearTo: year(params.get("year_to")),
    type: (TRANSACTION_TYPES as readonly string[]).includes(type ?? "") ? (type as TransactionType) : "disbursement",
  };
}

function dimension(value: string | null): Dimension | null {
  return value && (DIMENSIONS as readonly string[]).includes(value) ? (value as Dimension) : null;
}

export function parseExplorerView(params: URLSearchParams): ExplorerView {
  const rows = dimension(params.get("rows")) ?? "funder";
  const split = dimension(params.get("split"));
  return { rows, split: split === rows ? null : split };
}

/** The URL form; defaults are left out so shared links stay short. Other parameters of the page are kept. */
export function writeFundingFilters(
  filters: FundingFilters,
  view: ExplorerView | null,
  base = new URLSearchParams(),
): URLSearchParams {
  const params = new URLSearchParams(base);
  for (const key of ["funder", "country", "theme", "status", "year_from", "year_to", "type", "rows", "split"])
    params.delete(key);
  for (const key of ["funder", "country", "theme", "status"] as const)
    for (const value of filters[key]) params.append(key, value);
  if (filters.yearFrom) params.set("year_from", String(filters.yearFrom));
  if (filters.yearTo) params.set("year_to", String(filters.yearTo));
  if (filters.type !== "disbursement") params.set("type", filters.type);
  if (view && view.rows !== "funder") params.set("rows", view.rows);
  if (view?.split) params.set("split", view.split);
  return params;
}

/** The funding summary's query for these filters, grouped as asked. */
export function fundingQuery(filters: FundingFilters, groupBy: FundingQuery["group_by"] = []): FundingQuery {
  const query: FundingQuery = { transaction_type: [filters.type] };
  if (groupBy && groupBy.length) query.group_by = groupBy;
  if (filters.funder.length) query.funder = filters.funder;
  if (filters.country.length) query.country = filters.country;
  if (filters.theme.length) query.theme = filters.theme;
  if (filters.status.length) query.status = filters.status;
  if (filters.yearFrom) query.year_from = filters.yearFrom;
  if (filters.yearTo) query.year_to = filters.yearTo;
  return query;
}

/**
 * The project counts for the same filters: a funder counts the projects it (or a department below it) takes part in
 * as funding partner, and the years are the projects' own (the money's years are the funding summary's).
 */
export function countsQuery(filters: FundingFilters, by: ProjectCountsQuery["by"]): ProjectCountsQuery {
  const query: ProjectCountsQuery = { by };
  if (filters.funder.length) {
    query.organisation = filters.funder;
    query.organisation_role = "funding";
  }
  if (filters.country.length) query.country = filters.country;
  if (filters.theme.length) query.theme = filters.theme;
  if (filters.status.length) query.status = filters.status;
  if (filters.yearFrom) query.year_from = filters.yearFrom;
  if (filters.yearTo) query.year_to = filters.yearTo;
  return query;
}

export function hasFilters(filters: FundingFilters): boolean {
  return Boolean(
    filters.funder.length ||
    filters.country.length ||
    filters.theme.length ||
    filters.status.length ||
    filters.yearFrom ||
    filters.yearTo ||
    filters.type !== "disbursement",
  );
}

import type { ProjectListQuery, ProjectStatus } from "@/api/projects";
import { PROJECT_STATUSES } from "@/api/projects";

export type Sort = NonNullable<ProjectListQuery["sort"]>;
export const SORTS: readonly Sort[] = [
  "code",
  "-code",
  "title",
  "-title",
  "start",
  "-start",
  "end",
  "-end",
  "updated",
  "-updated",
];
export const PAGE_SIZES = [25, 50, 100] as const;
const ROLES = ["funding", "accountable", "extending", "implementing", "beneficiary"] as const;
type OrgRole = (typeof ROLES)[number];

const LIST_KEYS = ["country", "region", "organisation", "theme", "sector", "status"] as const;

function positiveInt(value: string | null, fallback: number, max: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= max ? n : fallback;
}

function year(value: string | null): number | undefined {
  const n = Number(value);
  return value && Number.isInteger(n) && n >= 1900 && n <= 2999 ? n : undefined;
}

/** The list's filters, sort and page read from the URL (anything invalid is dropped, never sent). */
export function parseListQuery(params: URLSearchParams): ProjectListQuery {
  const query: ProjectListQuery = {};
  for (const key of LIST_KEYS) {
    const values = params.getAll(key).filter(Boolean);
    if (values.length === 0) continue;
    if (key === "status") {
      const statuses = values.filter((v): v is ProjectStatus => (PROJECT_STATUSES as readonly string[]).includes(v));
      if (statuses.length) query.status = statuses;
    } else {
      query[key] = values;
    }
  }
  const role = params.get("organisation_role");
  if (role && (ROLES as readonly string[]).includes(role)) query.organisation_role = role as OrgRole;
  const from = year(params.get("year_from"));
  if (from) query.year_from = from;
  const to = year(params.get("year_to"));
  if (to) query.year_to = to;
  const q = params.get("q")?.trim();
  if (q) query.q = q.slice(0, 200);
  const sort = params.get("sort");
  if (sort && (SORTS as readonly string[]).includes(sort)) query.sort = sort as Sort;
  query.page = positiveInt(params.get("page"), 1, 1_000_000);
  const size = positiveInt(params.get("page_size"), 25, 200);
  query.page_size = (PAGE_SIZES as readonly number[]).includes(size) ? size : 25;
  return query;
}

/** The URL form of a query; defaults are left out so shared links stay short. */
export function toSearchParams(query: ProjectListQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of LIST_KEYS) for (const value of query[key] ?? []) params.append(key, value);
  if (query.organisation_role) params.set("organisation_role", query.organisation_role);
  if (query.year_from) params.set("year_from", String(query.year_from));
  if (query.year_to) params.set("year_to", String(query.year_to));
  if (query.q) params.set("q", query.q);
  if (query.sort && query.sort !== "code") params.set("sort", query.sort);
  if (query.page && query.page > 1) params.set("page", String(query.page));
  if (query.page_size && query.page_size !== 25) params.set("page_size", String(query.page_size));
  return params;
}

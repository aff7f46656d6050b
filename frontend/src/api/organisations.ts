import { queryOptions, useQuery } from "@tanstack/react-query";
import type { components, operations } from "@/api/generated/projects";
import { projectsApi } from "@/lib/api-client";
import { unwrap } from "@/lib/problem";

export type Organisation = components["schemas"]["Organisation"];
export type OrganisationQuery = NonNullable<operations["organisations-list_organisations"]["parameters"]["query"]>;

export const organisationsQueryOptions = (query: OrganisationQuery = { page_size: 200 }) =>
  queryOptions({
    queryKey: ["organisations", "list", query],
    queryFn: async () => unwrap(await projectsApi.GET("/api/projects/v1/organisations", { params: { query } })),
    staleTime: 5 * 60_000,
  });
export const useOrganisations = (query?: OrganisationQuery) => useQuery(organisationsQueryOptions(query));

export const organisationQueryOptions = (id: string) =>
  queryOptions({
    queryKey: ["organisations", "detail", id],
    queryFn: async () =>
      unwrap(await projectsApi.GET("/api/projects/v1/organisations/{org_id}", { params: { path: { org_id: id } } })),
  });
export const useOrganisation = (id: string) => useQuery(organisationQueryOptions(id));

/** An organisation as a choice in a form or filter: "ACRONYM — Name", or the name alone. */
export const organisationOption = (o: Organisation) => ({
  value: o.id,
  label: o.acronym ? `${o.acronym} — ${o.name}` : o.name,
});

/** Every organisation (page by page, 200 at a time): for tree pickers and scope checks; a few hundred rows. */
export async function fetchAllOrganisations(): Promise<Organisation[]> {
  const items: Organisation[] = [];
  for (let page = 1; page < 100; page += 1) {
    const result = unwrap(
      await projectsApi.GET("/api/projects/v1/organisations", { params: { query: { page, page_size: 200 } } }),
    );
    items.push(...result.items);
    if (items.length >= result.total || result.items.length === 0) break;
  }
  return items;
}

export const allOrganisationsQueryOptions = () =>
  queryOptions({ queryKey: ["organisations", "all"], queryFn: fetchAllOrganisations, staleTime: 60_000 });
export const useAllOrganisations = () => useQuery(allOrganisationsQueryOptions());

/** The given organisations and every one below them (the reach of organisation grants, as the API computes it). */
export function withDescendants(all: readonly Organisation[], roots: Iterable<string>): Set<string> {
  const children = new Map<string, string[]>();
  for (const o of all) if (o.parent_id) children.set(o.parent_id, [...(children.get(o.parent_id) ?? []), o.id]);
  const out = new Set<string>();
  const stack = [...roots];
  while (stack.length) {
    const id = stack.pop() as string;
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

/** Organisations in tree order with their depth, for pickers that show where each one sits ("— IOM Prague"). */
export function treeOrder(all: readonly Organisation[]): { org: Organisation; depth: number }[] {
  const byParent = new Map<string | null, Organisation[]>();
  const ids = new Set(all.map((o) => o.id));
  for (const o of all) {
    const parent = o.parent_id && ids.has(o.parent_id) ? o.parent_id : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), o]);
  }
  const out: { org: Organisation; depth: number }[] = [];
  const seen = new Set<string>();
  const visit = (parent: string | null, depth: number) => {
    for (const o of [...(byParent.get(parent) ?? [])].sort((a, b) => a.name.localeCompare(b.name))) {
      if (seen.has(o.id)) continue;
      seen.add(o.id);
      out.push({ org: o, depth });
      visit(o.id, depth + 1);
    }
  };
  visit(null, 0);
  return out;
}

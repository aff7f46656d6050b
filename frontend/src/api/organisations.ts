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
export const organisationOption = (o: Organisation) => ({ value: o.id, label: o.acronym ? `${o.acronym} — ${o.name}` : o.name });

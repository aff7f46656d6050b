import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { components } from "@/api/generated/projects";
import type { Organisation } from "@/api/organisations";
import { projectsApi } from "@/lib/api-client";
import { etagOf } from "@/lib/etag";
import { unwrap } from "@/lib/problem";

export type OrganisationCreate = components["schemas"]["OrganisationCreate"];
export type OrganisationUpdate = components["schemas"]["OrganisationUpdate"];

function useOrganisationsMutation<V>(run: (vars: V) => Promise<Organisation>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    // Names and the tree feed funder names and the funding figures too. Not awaited: the refetched record remounts
    // its form (keyed by version), and the caller's own onSuccess (navigating away) must run first.
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["organisations"] });
      void client.invalidateQueries({ queryKey: ["funding"] });
    },
  });
}

export const useCreateOrganisation = () =>
  useOrganisationsMutation(async (body: OrganisationCreate) =>
    unwrap(await projectsApi.POST("/api/projects/v1/organisations", { body })),
  );

export const useUpdateOrganisation = () =>
  useOrganisationsMutation(async ({ org, body }: { org: Organisation; body: OrganisationUpdate }) =>
    unwrap(
      await projectsApi.PATCH("/api/projects/v1/organisations/{org_id}", {
        params: { path: { org_id: org.id }, header: { "if-match": etagOf(org) } },
        body,
      }),
    ),
  );

/** The parents an organisation may have: within the caller's reach (null: anywhere), never itself or below itself. */
export function parentChoices(
  all: readonly Organisation[],
  reach: Set<string> | null,
  self: string | null,
  below: Set<string>,
): Organisation[] {
  return all.filter((o) => o.id !== self && !below.has(o.id) && (reach === null || reach.has(o.id)));
}

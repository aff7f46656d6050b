import { useMutation, useQueryClient, type QueryKey } from "@tanstack/react-query";

/**
 * A mutation after which every cached query under `queryKey` is refetched. Not awaited: a refetched row remounts its
 * edit form (keyed by version), so the caller's onSuccess (which navigates away) goes first.
 */
export function useInvalidatingMutation<V, R>(queryKey: QueryKey, run: (vars: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: run, onSuccess: () => void client.invalidateQueries({ queryKey }) });
}

import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { ErrorPanel } from "@/components/ErrorPanel";
import { Loading } from "@/components/Loading";

/**
 * One query's three states: the spinner while it loads, the error panel when it failed, else what `children` makes of
 * its data. (A list that keeps its previous page on screen while the next one loads, placeholder data included, still
 * counts as loaded: no spinner flashes over it.)
 */
export function QueryView<T>({ query, children }: { query: UseQueryResult<T>; children: (data: T) => ReactNode }) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorPanel error={query.error} />;
  return <>{children(query.data)}</>;
}

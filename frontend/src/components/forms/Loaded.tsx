import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { ErrorPanel } from "@/components/ErrorPanel";
import { Loading } from "@/components/Loading";

/** The record an edit page works on: loading, then its error on a page of its own, or the form given the record. */
export function Loaded<T>({ query, children }: { query: UseQueryResult<T>; children: (data: T) => ReactNode }) {
  if (query.isPending) return <Loading />;
  if (query.isError)
    return (
      <div className="page">
        <ErrorPanel error={query.error} />
      </div>
    );
  return children(query.data);
}

import { useQuery } from "@tanstack/react-query";
import type { components } from "@/api/generated/projects";
import { projectsApi } from "@/lib/api-client";
import { unwrap } from "@/lib/problem";

export type Country = components["schemas"]["Country"];
export type Region = components["schemas"]["Region"];
export type Theme = components["schemas"]["ThemeOut"];
export type CodeName = components["schemas"]["Code"];

const DAY = 24 * 60 * 60_000;

type Fetched<T> = { data?: T; error?: unknown; response: Response };

/** A reference list changes with a deployment, not during a session: fetched once, kept a day. */
function useReference<T>(key: readonly unknown[], fetch: () => Promise<Fetched<T>>) {
  return useQuery({ queryKey: ["reference", ...key], queryFn: async () => unwrap(await fetch()), staleTime: DAY });
}

export const useCountries = (programme = false) =>
  useReference(["countries", { programme }], () =>
    projectsApi.GET("/api/projects/v1/reference/countries", { params: { query: { programme } } }),
  );
export const useRegions = () => useReference(["regions"], () => projectsApi.GET("/api/projects/v1/reference/regions"));
export const useThemes = () => useReference(["themes"], () => projectsApi.GET("/api/projects/v1/reference/themes"));
export const useSectors = () => useReference(["sectors"], () => projectsApi.GET("/api/projects/v1/reference/sectors"));
export const useCurrencies = () =>
  useReference(["currencies"], () => projectsApi.GET("/api/projects/v1/reference/currencies"));

/** code → name lookup for a reference list. */
export function namesByCode(items: readonly { code: string; name: string }[] | undefined): Map<string, string> {
  return new Map((items ?? []).map((item) => [item.code, item.name]));
}

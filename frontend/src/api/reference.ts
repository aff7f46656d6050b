import { queryOptions, useQuery } from "@tanstack/react-query";
import type { components } from "@/api/generated/projects";
import { projectsApi } from "@/lib/api-client";
import { unwrap } from "@/lib/problem";

export type Country = components["schemas"]["Country"];
export type Region = components["schemas"]["Region"];
export type Theme = components["schemas"]["ThemeOut"];
export type CodeName = components["schemas"]["Code"];

const DAY = 24 * 60 * 60_000;

export const countriesQueryOptions = (programme = false) =>
  queryOptions({
    queryKey: ["reference", "countries", { programme }],
    queryFn: async () =>
      unwrap(await projectsApi.GET("/api/projects/v1/reference/countries", { params: { query: { programme } } })),
    staleTime: DAY,
  });
export const useCountries = (programme = false) => useQuery(countriesQueryOptions(programme));

export const regionsQueryOptions = () =>
  queryOptions({
    queryKey: ["reference", "regions"],
    queryFn: async () => unwrap(await projectsApi.GET("/api/projects/v1/reference/regions")),
    staleTime: DAY,
  });
export const useRegions = () => useQuery(regionsQueryOptions());

export const themesQueryOptions = () =>
  queryOptions({
    queryKey: ["reference", "themes"],
    queryFn: async () => unwrap(await projectsApi.GET("/api/projects/v1/reference/themes")),
    staleTime: DAY,
  });
export const useThemes = () => useQuery(themesQueryOptions());

export const sectorsQueryOptions = () =>
  queryOptions({
    queryKey: ["reference", "sectors"],
    queryFn: async () => unwrap(await projectsApi.GET("/api/projects/v1/reference/sectors")),
    staleTime: DAY,
  });
export const useSectors = () => useQuery(sectorsQueryOptions());

export const currenciesQueryOptions = () =>
  queryOptions({
    queryKey: ["reference", "currencies"],
    queryFn: async () => unwrap(await projectsApi.GET("/api/projects/v1/reference/currencies")),
    staleTime: DAY,
  });
export const useCurrencies = () => useQuery(currenciesQueryOptions());

/** code → name lookup for a reference list. */
export function namesByCode(items: readonly { code: string; name: string }[] | undefined): Map<string, string> {
  return new Map((items ?? []).map((item) => [item.code, item.name]));
}

import { queryOptions } from "@tanstack/react-query";
import type { components } from "@/api/generated/projects";
import { projectsApi } from "@/lib/api-client";
import { unwrap } from "@/lib/problem";

export type Me = components["schemas"]["Me"];
export type Grant = components["schemas"]["GrantOut"];
export type Role = components["schemas"]["Role"];

export async function fetchMe(): Promise<Me> {
  return unwrap(await projectsApi.GET("/api/projects/v1/auth/me"));
}

export const meQueryOptions = () =>
  queryOptions({ queryKey: ["auth", "me"], queryFn: fetchMe, staleTime: 5 * 60_000, retry: false });

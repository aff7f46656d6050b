import createClient from "openapi-fetch";
import type { paths as ProjectsPaths } from "@/api/generated/projects";
import { apiOrigin } from "@/config/env";
import { getAccessToken } from "@/lib/auth/token-store";
import { hasSessionHint, isAuthEndpoint, refreshAccessToken } from "@/lib/auth/tokens";

function withToken(request: Request): Request {
  const token = getAccessToken();
  if (!token) return request;
  const authorised = new Request(request);
  authorised.headers.set("Authorization", `Bearer ${token}`);
  return authorised;
}

/**
 * fetch with the in-memory bearer token; on a 401 it refreshes once from the cookie and retries. A request made while
 * a page load is still restoring the session (cookie present, no token yet) waits for the token, so a signed-in
 * user never gets the anonymous answer.
 */
export async function authFetch(request: Request): Promise<Response> {
  if (!getAccessToken() && hasSessionHint() && !isAuthEndpoint(request.url)) await refreshAccessToken();
  const retry = request.clone();
  const response = await globalThis.fetch(withToken(request));
  if (response.status !== 401 || isAuthEndpoint(request.url) || !getAccessToken()) return response;
  if (!(await refreshAccessToken())) return response;
  return globalThis.fetch(withToken(retry));
}

export const projectsApi = createClient<ProjectsPaths>({
  baseUrl: apiOrigin(),
  credentials: "same-origin",
  fetch: authFetch,
  querySerializer: { array: { style: "form", explode: true } },
});

import createClient from "openapi-fetch";
import type { paths as ReportingPaths } from "@/api/generated/reporting";
import { apiOrigin } from "@/config/env";
import { authFetch } from "@/lib/api-client";

/** reporting-api, with the same in-memory token (its JWTs come from projects-api's issuer). */
export const reportingApi = createClient<ReportingPaths>({
  baseUrl: apiOrigin(),
  credentials: "same-origin",
  fetch: authFetch,
  querySerializer: { array: { style: "form", explode: true } },
});

import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components, operations } from "@/api/generated/projects";
import { projectsApi } from "@/lib/api-client";
import { ifMatch } from "@/lib/etag";
import { useInvalidatingMutation } from "@/lib/mutations";
import { unwrap } from "@/lib/problem";

export type ExchangeRate = components["schemas"]["ExchangeRateOut"];
export type RateIn =
  operations["exchange-rates-save_exchange_rates"]["requestBody"]["content"]["application/json"][number];
export type RateImportResult = components["schemas"]["RateImportResult"];
export type User = components["schemas"]["User"];
export type UserCreate = components["schemas"]["UserCreate"];
export type UserUpdate = components["schemas"]["UserUpdate"];
export type GrantIn = components["schemas"]["GrantIn"];
export type ApiClient = components["schemas"]["ApiClient"];
export type ApiClientCreate = components["schemas"]["ApiClientCreate"];
export type ApiClientCreated = components["schemas"]["ApiClientCreated"];
type RatesQuery = NonNullable<operations["exchange-rates-list_exchange_rates"]["parameters"]["query"]>;

// --- Exchange rates -------------------------------------------------------------------------------------------------

export const ratesQueryOptions = (query: RatesQuery) =>
  queryOptions({
    queryKey: ["exchange-rates", query],
    queryFn: async () => unwrap(await projectsApi.GET("/api/projects/v1/exchange-rates", { params: { query } })),
    placeholderData: keepPreviousData,
  });
export const useRates = (query: RatesQuery) => useQuery(ratesQueryOptions(query));

/** Amounts a new rate covers get their EUR value: every money figure may change, so every cached one is refetched. */
function useRatesMutation<V>(run: (vars: V) => Promise<RateImportResult>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ["exchange-rates"] });
      await client.invalidateQueries({ queryKey: ["funding"] });
      await client.invalidateQueries({ queryKey: ["projects"] });
    },
  });
}

export const useSaveRates = () =>
  useRatesMutation(async (rates: RateIn[]) =>
    unwrap(await projectsApi.POST("/api/projects/v1/exchange-rates", { body: rates })),
  );

/** A CSV file of rates, sent as it is (the API reads it and names any bad row). */
export const useUploadRates = () =>
  useRatesMutation(async (csv: string) =>
    unwrap(
      await projectsApi.POST("/api/projects/v1/exchange-rates", {
        body: csv as unknown as RateIn[],
        bodySerializer: (body) => body as unknown as string,
        headers: { "Content-Type": "text/csv" },
      }),
    ),
  );

// --- Users ------------------------------------------------------------------------------------------------------------

export const usersQueryOptions = (q: string, page: number) =>
  queryOptions({
    queryKey: ["users", "list", q, page],
    queryFn: async () =>
      unwrap(
        await projectsApi.GET("/api/projects/v1/users", {
          params: { query: { page, page_size: 50, ...(q ? { q } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
export const useUsers = (q: string, page: number) => useQuery(usersQueryOptions(q, page));

const USER = "/api/projects/v1/users/{user_id}";

export const userQueryOptions = (id: string) =>
  queryOptions({
    queryKey: ["users", "detail", id],
    queryFn: async () => unwrap(await projectsApi.GET(USER, { params: { path: { user_id: id } } })),
  });
export const useUser = (id: string) => useQuery({ ...userQueryOptions(id), enabled: id !== "" });

const USERS = ["users"];

export const useCreateUser = () =>
  useInvalidatingMutation(USERS, async (body: UserCreate) =>
    unwrap(await projectsApi.POST("/api/projects/v1/users", { body })),
  );

/** A user's path and the If-Match of the version the form was filled in from. */
const userParams = (user: User) => ({ path: { user_id: user.id }, header: ifMatch(user) });

export const useUpdateUser = () =>
  useInvalidatingMutation(USERS, async ({ user, body }: { user: User; body: UserUpdate }) =>
    unwrap(await projectsApi.PATCH(USER, { params: userParams(user), body })),
  );

export const useDeleteUser = () =>
  useInvalidatingMutation(USERS, async (user: User) =>
    unwrap(await projectsApi.DELETE(USER, { params: userParams(user) })),
  );

// --- API clients ------------------------------------------------------------------------------------------------------

export const clientsQueryOptions = () =>
  queryOptions({
    queryKey: ["api-clients"],
    queryFn: async () =>
      unwrap(await projectsApi.GET("/api/projects/v1/api-clients", { params: { query: { page_size: 200 } } })),
  });
export const useApiClients = () => useQuery(clientsQueryOptions());

export function useCreateApiClient() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: ApiClientCreate) =>
      unwrap(await projectsApi.POST("/api/projects/v1/api-clients", { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["api-clients"] }),
  });
}

export function useDeleteApiClient() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) =>
      unwrap(
        await projectsApi.DELETE("/api/projects/v1/api-clients/{api_client_id}", {
          params: { path: { api_client_id: id } },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ["api-clients"] }),
  });
}

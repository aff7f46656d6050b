import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "@/api/generated/reporting";
import { ApiError, toProblem, unwrap } from "@/lib/problem";
import { reportingApi } from "@/lib/reporting-client";

export type Notification = components["schemas"]["NotificationOut"];
export type NotificationKind = Notification["kind"];
export type NotificationPreferences = components["schemas"]["Preferences"];
export type NotificationPreference = components["schemas"]["Preference"];

/** The bell's number; asked again every minute while the page is open (and after anything that may change it). */
export const unreadCountQueryOptions = (signedIn: boolean) =>
  queryOptions({
    queryKey: ["notifications", "unread", signedIn],
    queryFn: async () => unwrap(await reportingApi.GET("/api/reporting/v1/notifications/unread-count")).unread,
    enabled: signedIn,
    refetchInterval: 60_000,
    staleTime: 15_000,
  });
export const useUnreadCount = (signedIn: boolean) => useQuery(unreadCountQueryOptions(signedIn));

export const notificationsQueryOptions = (page: number) =>
  queryOptions({
    queryKey: ["notifications", "list", page],
    queryFn: async () =>
      unwrap(await reportingApi.GET("/api/reporting/v1/notifications", { params: { query: { page, page_size: 25 } } })),
  });
export const useNotifications = (page: number) => useQuery(notificationsQueryOptions(page));

export const notificationPreferencesQueryOptions = () =>
  queryOptions({
    queryKey: ["notifications", "preferences"],
    queryFn: async () => unwrap(await reportingApi.GET("/api/reporting/v1/notifications/preferences")),
  });
export const useNotificationPreferences = () => useQuery(notificationPreferencesQueryOptions());

function check(response: Response, error: unknown): void {
  if (!response.ok) throw new ApiError(toProblem(error, response));
}

/** Marks one notification read (or all of them, without an id). */
export function useMarkRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: string | null) => {
      const result = id
        ? await reportingApi.POST("/api/reporting/v1/notifications/{notification_id}/read", {
            params: { path: { notification_id: id } },
          })
        : await reportingApi.POST("/api/reporting/v1/notifications/read-all");
      check(result.response, result.error);
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ["notifications"] }),
  });
}

export function useSavePreferences() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (items: NotificationPreference[]) =>
      unwrap(await reportingApi.PUT("/api/reporting/v1/notifications/preferences", { body: { items } })),
    onSuccess: (saved) => client.setQueryData(notificationPreferencesQueryOptions().queryKey, saved),
  });
}

import type { QueryClient } from "@tanstack/react-query";
import { createBrowserRouter, type RouteObject } from "react-router";
import { AppShell } from "@/components/AppShell";
import { Loading } from "@/components/Loading";
import { NotFoundPage } from "@/components/NotFoundPage";
import { RouteError } from "@/components/RouteError";
import { prefetchDashboard } from "@/features/dashboard/api/queries";

// Every page is its own chunk: the first visit loads only the shell and the page it opens. The dashboard's loader
// starts its requests (data and map shapes) at navigation, beside the page's chunk, instead of after it has run; it
// returns at once, so nothing waits for it.
export const routes = (client?: QueryClient): RouteObject[] => [
  {
    element: <AppShell />,
    errorElement: <RouteError />,
    HydrateFallback: Loading,
    children: [
      {
        index: true,
        loader: ({ request }) => {
          if (client) prefetchDashboard(client, new URL(request.url).searchParams);
          return null;
        },
        lazy: async () => ({ Component: (await import("@/features/dashboard/routes/DashboardPage")).DashboardPage }),
      },
      {
        path: "funding",
        lazy: async () => ({
          Component: (await import("@/features/funding/routes/FundingExplorerPage")).FundingExplorerPage,
        }),
      },
      {
        path: "login",
        lazy: async () => ({ Component: (await import("@/features/auth/routes/LoginPage")).LoginPage }),
      },
      {
        path: "projects",
        lazy: async () => ({
          Component: (await import("@/features/projects/routes/ProjectsListPage")).ProjectsListPage,
        }),
      },
      {
        path: "projects/new",
        lazy: async () => ({
          Component: (await import("@/features/projects/routes/ProjectFormPage")).ProjectCreatePage,
        }),
      },
      {
        path: "projects/:projectId",
        lazy: async () => ({ Component: (await import("@/features/projects/routes/ProjectPage")).ProjectPage }),
      },
      {
        path: "projects/:projectId/edit",
        lazy: async () => ({ Component: (await import("@/features/projects/routes/ProjectFormPage")).ProjectEditPage }),
      },
      {
        path: "organisations/new",
        lazy: async () => ({
          Component: (await import("@/features/organisations/routes/OrganisationFormPage")).OrganisationFormPage,
        }),
      },
      {
        path: "organisations/:orgId/edit",
        lazy: async () => ({
          Component: (await import("@/features/organisations/routes/OrganisationFormPage")).OrganisationFormPage,
        }),
      },
      {
        path: "organisations",
        lazy: async () => ({
          Component: (await import("@/features/organisations/routes/OrganisationsPage")).OrganisationsPage,
        }),
      },
      {
        path: "organisations/:orgId",
        lazy: async () => ({
          Component: (await import("@/features/organisations/routes/OrganisationPage")).OrganisationPage,
        }),
      },
      {
        path: "countries",
        lazy: async () => ({ Component: (await import("@/features/countries/routes/CountriesPage")).CountriesPage }),
      },
      {
        path: "countries/:code",
        lazy: async () => ({ Component: (await import("@/features/countries/routes/CountryPage")).CountryPage }),
      },
      {
        path: "reports/:reportId",
        lazy: async () => ({ Component: (await import("@/features/reporting/routes/ReportPage")).ReportPage }),
      },
      {
        path: "reporting/iati",
        lazy: async () => ({ Component: (await import("@/features/iati/routes/IatiImportPage")).IatiImportPage }),
      },
      {
        path: "reporting",
        lazy: async () => ({ Component: (await import("@/features/reporting/routes/ImportPage")).ImportPage }),
      },
      {
        path: "inbox",
        lazy: async () => ({ Component: (await import("@/features/reporting/routes/InboxPage")).InboxPage }),
      },
      {
        path: "notifications",
        lazy: async () => ({
          Component: (await import("@/features/notifications/routes/NotificationsPage")).NotificationsPage,
        }),
      },
      {
        path: "projects/:projectId/framework",
        lazy: async () => ({
          Component: (await import("@/features/frameworks/routes/FrameworkEditorPage")).FrameworkEditorPage,
        }),
      },
      // Administration: each screen is its own chunk, loaded only by those who open it.
      {
        path: "admin",
        lazy: async () => ({ Component: (await import("@/features/admin/routes/AdminHomePage")).AdminHomePage }),
      },
      {
        path: "admin/indicators",
        lazy: async () => ({ Component: (await import("@/features/admin/routes/IndicatorsPage")).IndicatorsPage }),
      },
      {
        path: "admin/indicators/new",
        lazy: async () => ({
          Component: (await import("@/features/admin/routes/IndicatorEditPage")).IndicatorEditPage,
        }),
      },
      {
        path: "admin/indicators/:indicatorId",
        lazy: async () => ({
          Component: (await import("@/features/admin/routes/IndicatorEditPage")).IndicatorEditPage,
        }),
      },
      {
        path: "admin/exchange-rates",
        lazy: async () => ({ Component: (await import("@/features/admin/routes/RatesPage")).RatesPage }),
      },
      {
        path: "admin/users",
        lazy: async () => ({ Component: (await import("@/features/admin/routes/UsersPage")).UsersPage }),
      },
      {
        path: "admin/users/new",
        lazy: async () => ({ Component: (await import("@/features/admin/routes/UserEditPage")).UserEditPage }),
      },
      {
        path: "admin/users/:userId",
        lazy: async () => ({ Component: (await import("@/features/admin/routes/UserEditPage")).UserEditPage }),
      },
      {
        path: "admin/api-clients",
        lazy: async () => ({ Component: (await import("@/features/admin/routes/ApiClientsPage")).ApiClientsPage }),
      },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];

export function createRouter(client: QueryClient) {
  return createBrowserRouter(routes(client));
}

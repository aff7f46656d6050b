import type { QueryClient } from "@tanstack/react-query";
import type { ComponentType } from "react";
import { createBrowserRouter, type RouteObject } from "react-router";
import { AppShell } from "@/components/AppShell";
import { Loading } from "@/components/Loading";
import { NotFoundPage } from "@/components/NotFoundPage";
import { RouteError } from "@/components/RouteError";
import { prefetchDashboard } from "@/features/dashboard/api/queries";

/** A page in its own chunk: `load` imports its module on the first visit, `name` is the component the module exports. */
function page<M extends Record<K, ComponentType>, K extends keyof M>(load: () => Promise<M>, name: K) {
  return async () => ({ Component: (await load())[name] });
}

// Every page is its own chunk: the first visit loads only the shell and the page it opens. The import() calls stay
// written out, one per page, so Vite sees each module and splits it. Administration screens are loaded only by those
// who open them.
const PAGES: [path: string, lazy: RouteObject["lazy"]][] = [
  ["funding", page(() => import("@/features/funding/routes/FundingExplorerPage"), "FundingExplorerPage")],
  ["login", page(() => import("@/features/auth/routes/LoginPage"), "LoginPage")],
  ["projects", page(() => import("@/features/projects/routes/ProjectsListPage"), "ProjectsListPage")],
  ["projects/new", page(() => import("@/features/projects/routes/ProjectFormPage"), "ProjectCreatePage")],
  ["projects/:projectId", page(() => import("@/features/projects/routes/ProjectPage"), "ProjectPage")],
  ["projects/:projectId/edit", page(() => import("@/features/projects/routes/ProjectFormPage"), "ProjectEditPage")],
  [
    "organisations/new",
    page(() => import("@/features/organisations/routes/OrganisationFormPage"), "OrganisationFormPage"),
  ],
  [
    "organisations/:orgId/edit",
    page(() => import("@/features/organisations/routes/OrganisationFormPage"), "OrganisationFormPage"),
  ],
  ["organisations", page(() => import("@/features/organisations/routes/OrganisationsPage"), "OrganisationsPage")],
  ["organisations/:orgId", page(() => import("@/features/organisations/routes/OrganisationPage"), "OrganisationPage")],
  ["countries", page(() => import("@/features/countries/routes/CountriesPage"), "CountriesPage")],
  ["countries/:code", page(() => import("@/features/countries/routes/CountryPage"), "CountryPage")],
  ["reports/:reportId", page(() => import("@/features/reporting/routes/ReportPage"), "ReportPage")],
  ["reporting/iati", page(() => import("@/features/iati/routes/IatiImportPage"), "IatiImportPage")],
  ["reporting", page(() => import("@/features/reporting/routes/ImportPage"), "ImportPage")],
  ["inbox", page(() => import("@/features/reporting/routes/InboxPage"), "InboxPage")],
  ["notifications", page(() => import("@/features/notifications/routes/NotificationsPage"), "NotificationsPage")],
  [
    "projects/:projectId/framework",
    page(() => import("@/features/frameworks/routes/FrameworkEditorPage"), "FrameworkEditorPage"),
  ],
  ["admin", page(() => import("@/features/admin/routes/AdminHomePage"), "AdminHomePage")],
  ["admin/indicators", page(() => import("@/features/admin/routes/IndicatorsPage"), "IndicatorsPage")],
  ["admin/indicators/new", page(() => import("@/features/admin/routes/IndicatorEditPage"), "IndicatorEditPage")],
  [
    "admin/indicators/:indicatorId",
    page(() => import("@/features/admin/routes/IndicatorEditPage"), "IndicatorEditPage"),
  ],
  ["admin/exchange-rates", page(() => import("@/features/admin/routes/RatesPage"), "RatesPage")],
  ["admin/users", page(() => import("@/features/admin/routes/UsersPage"), "UsersPage")],
  ["admin/users/new", page(() => import("@/features/admin/routes/UserEditPage"), "UserEditPage")],
  ["admin/users/:userId", page(() => import("@/features/admin/routes/UserEditPage"), "UserEditPage")],
  ["admin/api-clients", page(() => import("@/features/admin/routes/ApiClientsPage"), "ApiClientsPage")],
];

// The dashboard's loader starts its requests (data and map shapes) at navigation, beside the page's chunk, instead of
// after it has run; it returns at once, so nothing waits for it.
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
        lazy: page(() => import("@/features/dashboard/routes/DashboardPage"), "DashboardPage"),
      },
      ...PAGES.map(([path, lazy]): RouteObject => ({ path, lazy })),
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];

export function createRouter(client: QueryClient) {
  return createBrowserRouter(routes(client));
}

import { screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import i18n from "@/i18n/i18n";
import { json, mockApi } from "@/test/api-mock";
import { renderRoute } from "@/test/render";
import { DashboardPage } from "@/features/dashboard/routes/DashboardPage";

afterEach(async () => {
  vi.unstubAllGlobals();
  await i18n.changeLanguage("en");
});

const summary = (rows: unknown[]) => ({
  group_by: [],
  transaction_types: ["disbursement"],
  rows,
  total: { eur_amount: "1000.00", not_converted: [], transactions: 2 },
});

function api() {
  return mockApi({
    "GET /api/projects/v1/projects/counts": () =>
      json({
        total: 3,
        by: {
          country: [
            { key: "GE", projects: 2 },
            { key: "MD", projects: 1 },
          ],
          theme: [{ key: "border-protection", projects: 2 }],
          status: [{ key: "closed", projects: 3 }],
        },
      }),
    "GET /api/projects/v1/funding/summary": (req) =>
      json(
        new URL(req.url).searchParams.getAll("group_by").includes("country")
          ? summary([
              { country: { code: "GE", name: "Georgia" }, eur_amount: "1000.00", transactions: 2, not_converted: [] },
            ])
          : summary([
              {
                funder: { id: "1", name: "Czech Republic", acronym: "CZ" },
                year: 2010,
                eur_amount: "1000.00",
                transactions: 2,
              },
            ]),
      ),
    "GET /api/reporting/v1/aggregations/context": () => json([]),
  });
}

describe("dashboard", () => {
  it("takes its numbers from one counts request, never from the project list", async () => {
    const fetch = api();
    renderRoute(<DashboardPage />);
    expect(await screen.findByTestId("stat-projects")).toHaveTextContent("3");
    const byTheme = await screen.findByRole("table", { name: "Theme" });
    expect(within(byTheme).getByText("Border protection")).toBeInTheDocument();
    const urls = fetch.mock.calls.map(([req]) => String(req instanceof Request ? req.url : req));
    expect(urls.filter((url) => /\/api\/projects\/v1\/projects(\?|$)/.test(url))).toEqual([]);
    expect(urls.filter((url) => url.includes("/projects/counts"))).toHaveLength(1);
  });

  it("names themes, statuses and countries in the chosen language", async () => {
    api();
    await i18n.changeLanguage("ru");
    renderRoute(<DashboardPage />);
    const byTheme = await screen.findByRole("table", { name: "Тема" });
    expect(within(byTheme).getByText("Охрана границ")).toBeInTheDocument();
    expect(screen.getByRole("table", { name: "Статус" })).toHaveTextContent(/Завершён|Закрыт/);
    expect(screen.getByRole("link", { name: "Грузия" })).toBeInTheDocument();
  });
});

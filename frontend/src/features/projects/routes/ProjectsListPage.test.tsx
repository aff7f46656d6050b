import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setAccessToken } from "@/lib/auth/token-store";
import { json, mockApi } from "@/test/api-mock";
import { signedInManager } from "@/test/fixtures";
import { renderRoute } from "@/test/render";
import { ProjectsListPage } from "@/features/projects/routes/ProjectsListPage";

afterEach(() => {
  setAccessToken(null);
  vi.unstubAllGlobals();
});

const summary = (n: number) => ({
  id: `p-${n}`,
  code: `XM-${n}`,
  title: `Project ${n}`,
  status: "closed",
  planned_start: "2008-01-01",
  planned_end: null,
  actual_start: null,
  actual_end: null,
  is_public: true,
  is_illustrative: false,
  countries: [{ country_code: "GE", name: "Georgia", percentage: "100.00" }],
  themes: [],
  funders: [],
  updated_at: "2026-01-01T00:00:00Z",
});

describe("ProjectsListPage", () => {
  it("sends the URL's filters to the API and keeps changes in the URL", async () => {
    const queries: string[] = [];
    mockApi({
      ...signedInManager(),
      "GET /api/projects/v1/projects": (req) => {
        queries.push(new URL(req.url).search);
        return json({ items: [summary(1), summary(2)], total: 60, page: 1, page_size: 25 });
      },
    });
    const { router } = renderRoute(<ProjectsListPage />, {
      path: "/projects",
      url: "/projects?country=GE&status=closed&sort=-start",
    });
    expect(await screen.findByText("Project 1")).toBeInTheDocument();
    expect(screen.getByText("60 projects")).toBeInTheDocument();
    expect(queries[0]).toContain("country=GE");
    expect(queries[0]).toContain("status=closed");
    expect(queries[0]).toContain("sort=-start");

    await userEvent.click(screen.getByRole("button", { name: "Next" }));
    await waitFor(() => expect(router.state.location.search).toBe("?country=GE&status=closed&sort=-start&page=2"));
    await waitFor(() => expect(queries.at(-1)).toContain("page=2"));

    await userEvent.click(screen.getByRole("button", { name: /Title/ }));
    await waitFor(() => expect(router.state.location.search).toBe("?country=GE&status=closed&sort=title"));
    expect(await screen.findByRole("link", { name: "New project" })).toBeInTheDocument();
  });
});

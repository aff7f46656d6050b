import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { UserMenu } from "@/components/UserMenu";
import { getAccessToken, setAccessToken } from "@/lib/auth/token-store";
import { json, mockApi, problem } from "@/test/api-mock";
import { renderRoute } from "@/test/render";

afterEach(() => {
  setAccessToken(null);
  vi.unstubAllGlobals();
});

describe("UserMenu", () => {
  it("offers sign-in when there is no session cookie", async () => {
    mockApi({ "POST /api/projects/v1/auth/token": () => problem(400, "invalid_grant") });
    renderRoute(<UserMenu />);
    expect(await screen.findByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/login");
  });

  it("restores the session from the refresh cookie and shows name, role and scope", async () => {
    const fetch = mockApi({
      "POST /api/projects/v1/auth/token": () => json({ access_token: "restored", expires_in: 900 }),
      "GET /api/projects/v1/auth/me": () =>
        json({
          subject: "user:1",
          name: "Demo Manager (IOM Prague)",
          organisation_id: "org-1",
          grants: [
            { role: "manager", organisation_id: "org-1", country_code: null },
            { role: "reporter", organisation_id: null, country_code: "GE" },
          ],
        }),
      "GET /api/projects/v1/organisations": () =>
        json({ items: [{ id: "org-1", name: "IOM Prague", acronym: "IOM CZ", org_type: "10" }], total: 1, page: 1, page_size: 200 }),
      "POST /api/projects/v1/auth/logout": () => new Response(null, { status: 204 }),
    });
    renderRoute(<UserMenu />);
    expect(await screen.findByText("Demo Manager (IOM Prague)")).toBeInTheDocument();
    expect(await screen.findByText("Manager · for IOM CZ")).toBeInTheDocument();
    expect(screen.getByText("Reporter · in GE")).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Sign out" }));
    expect(await screen.findByRole("link", { name: "Sign in" })).toBeInTheDocument();
    expect(getAccessToken()).toBeNull();
    expect(fetch.mock.calls.some(([req]) => String(req instanceof Request ? req.url : req).endsWith("/auth/logout"))).toBe(true);
  });
});

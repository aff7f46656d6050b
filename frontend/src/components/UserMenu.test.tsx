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
  document.cookie = "mcb_session=; Max-Age=0; path=/";
});

describe("UserMenu", () => {
  it("offers sign-in without asking for a refresh when there is no session cookie", async () => {
    const fetch = mockApi({ "POST /api/projects/v1/auth/token": () => problem(401, "Authentication is required") });
    renderRoute(<UserMenu />);
    expect(await screen.findByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/login");
    expect(fetch).not.toHaveBeenCalled();
  });

  it("offers sign-in when the session cookie was refused (401), and forgets the hint", async () => {
    document.cookie = "mcb_session=1; path=/";
    const fetch = mockApi({ "POST /api/projects/v1/auth/token": () => problem(401, "Authentication is required") });
    renderRoute(<UserMenu />);
    expect(await screen.findByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/login");
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(document.cookie).not.toContain("mcb_session=1");
  });

  it("restores the session from the refresh cookie and shows name, role and scope", async () => {
    document.cookie = "mcb_session=1; path=/";
    const fetch = mockApi({
      "POST /api/projects/v1/auth/token": () => json({ access_token: "restored", expires_in: 900 }),
      "GET /api/projects/v1/auth/me": () =>
        json({
          subject: "user:1",
          name: "Demo Manager (IOM Prague)",
          organisation_id: "org-1",
          organisation_name: "IOM Prague",
          grants: [
            {
              role: "manager",
              organisation_id: "org-1",
              country_code: null,
              organisation_name: "IOM Prague",
              organisation_acronym: "IOM CZ",
            },
            { role: "reporter", organisation_id: null, country_code: "GE" },
          ],
        }),
      "POST /api/projects/v1/auth/logout": () => new Response(null, { status: 204 }),
    });
    renderRoute(<UserMenu />);
    expect(await screen.findByText("Demo Manager (IOM Prague)")).toBeInTheDocument();
    expect(await screen.findByText("Manager · for IOM CZ")).toBeInTheDocument();
    expect(screen.getByText("Reporter · in Georgia")).toBeInTheDocument();
    expect(
      fetch.mock.calls.some(([req]) => String(req instanceof Request ? req.url : req).includes("/organisations")),
    ).toBe(false);

    await userEvent.click(screen.getByRole("button", { name: "Sign out" }));
    expect(await screen.findByRole("link", { name: "Sign in" })).toBeInTheDocument();
    expect(getAccessToken()).toBeNull();
    expect(
      fetch.mock.calls.some(([req]) => String(req instanceof Request ? req.url : req).endsWith("/auth/logout")),
    ).toBe(true);
  });
});

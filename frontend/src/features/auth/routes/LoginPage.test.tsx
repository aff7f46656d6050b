import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getAccessToken, setAccessToken } from "@/lib/auth/token-store";
import { json, mockApi, problem } from "@/test/api-mock";
import { managerMe } from "@/test/fixtures";
import { renderRoute } from "@/test/render";
import { LoginPage } from "@/features/auth/routes/LoginPage";

afterEach(() => {
  setAccessToken(null);
  vi.unstubAllGlobals();
});

describe("LoginPage", () => {
  it("signs in with the password grant, asking for the refresh cookie", async () => {
    const bodies: string[] = [];
    mockApi({
      "POST /api/projects/v1/auth/token": async (req) => {
        const body = await req.text();
        bodies.push(body);
        if (body.startsWith("grant_type=refresh_token")) return problem(400, "invalid_grant");
        expect(req.headers.get("X-Refresh-Cookie")).toBe("true");
        return json({ access_token: "new-token", expires_in: 900 });
      },
      "GET /api/projects/v1/auth/me": () => json(managerMe),
    });
    const { router } = renderRoute(<LoginPage />, { path: "/login", url: "/login" });
    await userEvent.type(screen.getByLabelText("E-mail"), "manager@demo.mcb");
    await userEvent.type(screen.getByLabelText("Password"), "demo-manager-pass");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/"));
    expect(getAccessToken()).toBe("new-token");
    expect(bodies).toContain("grant_type=password&username=manager%40demo.mcb&password=demo-manager-pass");
  });

  it("says when the password is wrong", async () => {
    mockApi({ "POST /api/projects/v1/auth/token": () => problem(400, "invalid_grant") });
    renderRoute(<LoginPage />, { path: "/login", url: "/login" });
    await userEvent.type(screen.getByLabelText("E-mail"), "x@y.z");
    await userEvent.type(screen.getByLabelText("Password"), "nope");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The e-mail or password is not right.");
  });
});

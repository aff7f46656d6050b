import { afterEach, describe, expect, it, vi } from "vitest";
import { projectsApi } from "@/lib/api-client";
import { getAccessToken, setAccessToken } from "@/lib/auth/token-store";
import { json, mockApi, problem } from "@/test/api-mock";

afterEach(() => {
  setAccessToken(null);
  vi.unstubAllGlobals();
});

describe("the API client", () => {
  it("sends the in-memory access token as a bearer token", async () => {
    setAccessToken("t1");
    const fetch = mockApi({
      "GET /api/projects/v1/auth/me": (req) => json({ auth: req.headers.get("Authorization") }),
    });
    const { data } = await projectsApi.GET("/api/projects/v1/auth/me");
    expect(data).toEqual({ auth: "Bearer t1" });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("refreshes once from the cookie on a 401 and retries with the new token", async () => {
    setAccessToken("expired");
    const fetch = mockApi({
      "GET /api/projects/v1/auth/me": (req) =>
        req.headers.get("Authorization") === "Bearer fresh"
          ? json({ ok: true })
          : problem(401, "No valid bearer token"),
      "POST /api/projects/v1/auth/token": async (req) => {
        expect(req.headers.get("X-Refresh-Cookie")).toBe("true");
        expect(await req.text()).toBe("grant_type=refresh_token");
        return json({ access_token: "fresh", expires_in: 900 });
      },
    });
    const { data } = await projectsApi.GET("/api/projects/v1/auth/me");
    expect(data).toEqual({ ok: true });
    expect(getAccessToken()).toBe("fresh");
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it("gives up when the refresh cookie is gone, and forgets the token", async () => {
    setAccessToken("expired");
    mockApi({
      "GET /api/projects/v1/auth/me": () => problem(401, "No valid bearer token"),
      "POST /api/projects/v1/auth/token": () => problem(400, "invalid_grant"),
    });
    const { response } = await projectsApi.GET("/api/projects/v1/auth/me");
    expect(response.status).toBe(401);
    expect(getAccessToken()).toBeNull();
  });

  it("while a page load restores the session, a request waits for the token instead of going anonymous", async () => {
    document.cookie = "mcb_session=1; path=/";
    const order: string[] = [];
    mockApi({
      "POST /api/projects/v1/auth/token": () => {
        order.push("refresh");
        return json({ access_token: "restored", expires_in: 900 });
      },
      "GET /api/projects/v1/projects/counts": (req) => {
        order.push(`counts ${req.headers.get("Authorization")}`);
        return json({ total: 0, by: {} });
      },
    });
    await projectsApi.GET("/api/projects/v1/projects/counts", { params: { query: { by: ["country"] } } });
    expect(order).toEqual(["refresh", "counts Bearer restored"]);
  });

  it("asks for no refresh without the session cookie (an anonymous visitor)", async () => {
    const fetch = mockApi({
      "GET /api/projects/v1/projects/counts": (req) => json({ auth: req.headers.get("Authorization") }),
    });
    const { data } = await projectsApi.GET("/api/projects/v1/projects/counts", {
      params: { query: { by: ["country"] } },
    });
    expect(data).toEqual({ auth: null });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("never puts a token in localStorage", async () => {
    setAccessToken("secret-token");
    expect(JSON.stringify({ ...window.localStorage })).not.toContain("secret-token");
  });
});

import { screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ErrorPanel } from "@/components/ErrorPanel";
import { setAccessToken } from "@/lib/auth/token-store";
import { ApiError } from "@/lib/problem";
import { json, mockApi, problem } from "@/test/api-mock";
import { renderRoute } from "@/test/render";

afterEach(() => {
  setAccessToken(null);
  vi.unstubAllGlobals();
});

describe("ErrorPanel", () => {
  it("explains a 403 with the API's reason and who is signed in", async () => {
    document.cookie = "mcb_session=1; path=/";
    mockApi({
      "POST /api/projects/v1/auth/token": () => json({ access_token: "t", expires_in: 900 }),
      "GET /api/projects/v1/auth/me": () =>
        json({
          subject: "user:1",
          name: "Demo Viewer",
          organisation_id: null,
          grants: [{ role: "viewer", organisation_id: null, country_code: null }],
        }),
      "GET /api/projects/v1/organisations": () => json({ items: [], total: 0, page: 1, page_size: 200 }),
    });
    const error = new ApiError({
      title: "Forbidden",
      status: 403,
      detail: "Editing this project needs the manager role.",
    });
    renderRoute(<ErrorPanel error={error} />);
    expect(await screen.findByText(/signed in as Demo Viewer \(Viewer\)/)).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("Not allowed");
    expect(screen.getByText("Editing this project needs the manager role.")).toBeInTheDocument();
  });

  it("says what failed for other errors", () => {
    mockApi({ "POST /api/projects/v1/auth/token": () => problem(400, "invalid_grant") });
    renderRoute(
      <ErrorPanel error={new ApiError({ title: "Server error", status: 500, detail: "database unavailable" })} />,
    );
    expect(screen.getByRole("alert")).toHaveTextContent("database unavailable");
  });
});

import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setAccessToken } from "@/lib/auth/token-store";
import { json, mockApi } from "@/test/api-mock";
import { signedInManager } from "@/test/fixtures";
import { renderRoute } from "@/test/render";
import { OrganisationFormPage } from "@/features/organisations/routes/OrganisationFormPage";

afterEach(() => {
  setAccessToken(null);
  vi.unstubAllGlobals();
});

const org = (id: string, name: string, parent_id: string | null = null) => ({
  id,
  name,
  acronym: null,
  org_type: "40",
  country_code: null,
  parent_id,
  is_department: false,
  version: 1,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
});
// The manager's grant is for org-1 (IOM Prague); org-2 sits below it; org-3 (a donor) is outside their reach.
const ORGS = [
  org("org-1", "IOM Prague"),
  org("org-2", "IOM Prague field office", "org-1"),
  org("org-3", "Czech Ministry"),
];

describe("organisation form", () => {
  it("offers a scoped manager only parents their grants cover, and sends the department flag with its parent", async () => {
    let sent: Record<string, unknown> | null = null;
    mockApi({
      ...signedInManager(),
      "GET /api/projects/v1/organisations": () => json({ items: ORGS, total: 3, page: 1, page_size: 200 }),
      "POST /api/projects/v1/organisations": async (req) => {
        sent = (await req.json()) as Record<string, unknown>;
        return json({ ...org("org-9", "New unit", "org-2"), is_department: true }, { status: 201 });
      },
    });
    renderRoute(<OrganisationFormPage />, { path: "/organisations/new", url: "/organisations/new" });
    const parent = await screen.findByLabelText("Part of");
    const options = within(parent)
      .getAllByRole("option")
      .map((o) => o.textContent);
    expect(options).toEqual(["Nothing: it stands on its own", "IOM Prague", "— IOM Prague field office"]);
    const department = screen.getByLabelText("A department of the organisation it belongs to");
    expect(department).toBeDisabled(); // no parent, no department
    await userEvent.type(screen.getByLabelText("Name"), "New unit");
    await userEvent.selectOptions(parent, "org-2");
    await userEvent.click(department);
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(sent).toMatchObject({ name: "New unit", parent_id: "org-2", is_department: true }));
  });

  it("tells a manager at once when an organisation is outside their grants", async () => {
    mockApi({
      ...signedInManager(),
      "GET /api/projects/v1/organisations": () => json({ items: ORGS, total: 3, page: 1, page_size: 200 }),
      "GET /api/projects/v1/organisations/org-3": () => json(ORGS[2]),
    });
    renderRoute(<OrganisationFormPage />, { path: "/organisations/:orgId/edit", url: "/organisations/org-3/edit" });
    expect(await screen.findByText("Your manager grants do not cover this organisation.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Save" })).not.toBeInTheDocument();
  });
});

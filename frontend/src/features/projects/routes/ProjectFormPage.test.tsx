import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setAccessToken } from "@/lib/auth/token-store";
import { json, mockApi, problem } from "@/test/api-mock";
import { project, signedInManager } from "@/test/fixtures";
import { renderRoute } from "@/test/render";
import { ProjectCreatePage, ProjectEditPage } from "@/features/projects/routes/ProjectFormPage";

const access = (edit: boolean) => ({
  project_id: "p-1",
  is_public: true,
  can_read: true,
  can_report: edit,
  can_edit: edit,
  can_approve: edit,
});

afterEach(() => {
  setAccessToken(null);
  vi.unstubAllGlobals();
});

describe("project forms", () => {
  it("shows the API's field-level errors next to their fields", async () => {
    let sent: unknown = null;
    mockApi({
      ...signedInManager(),
      "POST /api/projects/v1/projects": async (req) => {
        sent = await req.json();
        return problem(422, "The request is not valid", {
          detail: "2 fields are not valid",
          errors: [
            { field: "body.code", message: "String should have at least 3 characters", code: "string_too_short" },
            {
              field: "body.countries[0].percentage",
              message: "Input should be less than or equal to 100",
              code: "less_than_equal",
            },
          ],
        });
      },
    });
    renderRoute(<ProjectCreatePage />, { path: "/projects/new", url: "/projects/new" });
    const code = await screen.findByLabelText("Code");
    await userEvent.type(code, "ab");
    await userEvent.type(screen.getByLabelText("Title"), "A project");
    await userEvent.selectOptions(await screen.findByLabelText("Country"), "GE");
    const share = screen.getByLabelText("Share (%)");
    await userEvent.clear(share);
    await userEvent.type(share, "150");
    expect(screen.getByText("Total: 150 % (must be 100 %)")).toBeInTheDocument();
    await userEvent.click(screen.getByLabelText("Not public (only people whose grants cover the project)"));
    await userEvent.click(screen.getByRole("button", { name: "Save" }));

    // The API's English validator text becomes the user's language, with the limit it names.
    expect(await screen.findByText("At least 3 characters.")).toBeInTheDocument();
    expect(screen.queryByText(/String should have/)).not.toBeInTheDocument();
    expect(screen.getByLabelText("Code")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Code")).toHaveAccessibleDescription(/At least 3 characters/);
    expect(screen.getByLabelText("Share (%)")).toHaveAccessibleDescription(/Must be at most 100/);
    expect(screen.getByRole("alert")).toHaveTextContent("Please correct the 2 fields marked below.");
    expect(sent).toMatchObject({
      code: "ab",
      title: "A project",
      is_public: false,
      countries: [{ country_code: "GE", percentage: "150" }],
    });
  });

  it("asks whether a new project is public before sending it", async () => {
    let sent: unknown = null;
    mockApi({
      ...signedInManager(),
      "POST /api/projects/v1/projects": async (req) => {
        sent = await req.json();
        return problem(422, "The request is not valid", { detail: "1 field is not valid", errors: [] });
      },
    });
    renderRoute(<ProjectCreatePage />, { path: "/projects/new", url: "/projects/new" });
    const publicChoice = await screen.findByLabelText("Public (shown to everyone and published to IATI)");
    expect(publicChoice).not.toBeChecked();
    expect(screen.getByLabelText("Not public (only people whose grants cover the project)")).not.toBeChecked();
    await userEvent.click(screen.getByRole("button", { name: "Save" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("Choose whether the project is public.");
    expect(sent).toBeNull();
    await userEvent.click(publicChoice);
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(sent).toMatchObject({ is_public: true }));
  });

  it("sends If-Match and explains a 412 with a way to load the latest version", async () => {
    const ifMatch: (string | null)[] = [];
    let version = 1;
    mockApi({
      ...signedInManager(),
      "GET /api/projects/v1/projects/p-1": () =>
        json(
          { ...project, version, title: version > 1 ? "Renamed by someone else" : project.title },
          { headers: { ETag: `"p-1.${version}"` } },
        ),
      "GET /api/projects/v1/projects/p-1/access": () => json(access(true)),
      "PATCH /api/projects/v1/projects/p-1": (req) => {
        ifMatch.push(req.headers.get("If-Match"));
        version = 2;
        return problem(412, "The resource has changed", { detail: "The record has changed since you read it" });
      },
    });
    renderRoute(<ProjectEditPage />, { path: "/projects/:projectId/edit", url: "/projects/p-1/edit" });
    const title = await screen.findByLabelText("Title");
    await userEvent.clear(title);
    await userEvent.type(title, "My new title");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));

    const conflict = await screen.findByTestId("conflict");
    expect(conflict).toHaveTextContent("Someone else changed this project");
    expect(ifMatch).toEqual(['"p-1.1"']);
    await userEvent.click(screen.getByRole("button", { name: "Load the latest version" }));
    await waitFor(() => expect(screen.getByLabelText("Title")).toHaveValue("Renamed by someone else"));
    expect(screen.queryByTestId("conflict")).not.toBeInTheDocument();
  });

  it("reads amounts and shares as the user's language writes them", async () => {
    let sent: { countries?: { percentage: string }[] } = {};
    mockApi({
      ...signedInManager(),
      "POST /api/projects/v1/projects": async (req) => {
        sent = (await req.json()) as typeof sent;
        return problem(422, "The request is not valid", {
          errors: [{ field: "body.code", message: "x", code: "string_too_short" }],
        });
      },
    });
    renderRoute(<ProjectCreatePage />, { path: "/projects/new", url: "/projects/new" });
    const share = await screen.findByLabelText("Share (%)");
    await userEvent.clear(share);
    await userEvent.type(share, "99.50");
    await userEvent.click(screen.getByRole("radio", { name: /Not public/ })); // publication is a choice the form asks for
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByRole("alert");
    await waitFor(() => expect(sent.countries?.[0]?.percentage).toBe("99.50"));
  });

  it("does not open the edit form for someone who may not change the project", async () => {
    mockApi({
      ...signedInManager(),
      "GET /api/projects/v1/projects/p-1": () => json(project, { headers: { ETag: '"p-1.1"' } }),
      "GET /api/projects/v1/projects/p-1/access": () => json(access(false)),
    });
    renderRoute(<ProjectEditPage />, { path: "/projects/:projectId/edit", url: "/projects/p-1/edit" });
    expect(await screen.findByText("Only managers of this project can change it.")).toBeInTheDocument();
    expect(screen.queryByLabelText("Title")).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Save" })).not.toBeInTheDocument();
  });

  it("tells a manager up front which partner or country their grants need", async () => {
    mockApi(signedInManager());
    renderRoute(<ProjectCreatePage />, { path: "/projects/new", url: "/projects/new" });
    const notice = await screen.findByTestId("scope-notice");
    expect(notice).toHaveTextContent(/Your manager grants cover/);
  });

  it("tells a viewer that creating projects needs a manager", async () => {
    mockApi({
      ...signedInManager(),
      "GET /api/projects/v1/auth/me": () =>
        json({
          subject: "user:v",
          name: "Demo Viewer",
          organisation_id: null,
          grants: [{ role: "viewer", organisation_id: null, country_code: null }],
        }),
    });
    renderRoute(<ProjectCreatePage />, { path: "/projects/new", url: "/projects/new" });
    expect(await screen.findByText("Creating projects needs a manager role.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Save" })).not.toBeInTheDocument();
  });
});

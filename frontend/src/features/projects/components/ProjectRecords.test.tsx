import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { json, mockApi, problem } from "@/test/api-mock";
import { signedInManager } from "@/test/fixtures";
import { renderRoute } from "@/test/render";
import { ActivitiesSection, BudgetsSection, TransactionsSection } from "@/features/projects/components/ProjectRecords";

afterEach(() => vi.unstubAllGlobals());

const stamp = {
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
  source: null,
  is_illustrative: false,
};
const visit = (version: number, title: string) => ({
  ...stamp,
  id: "a-1",
  project_id: "p-1",
  kind: "on-site-visit",
  title,
  description: null,
  facility_type: "detention-facility",
  facility_name: "Bělá-Jezová",
  start_date: "2009-05-12",
  end_date: null,
  place: null,
  country_code: "CZ",
  participants: [],
  women: 0,
  men: 0,
  total_participants: 0,
  version,
});
const page = <T,>(items: T[]) => json({ items, total: items.length, page: 1, page_size: 200 });

describe("activities section", () => {
  it("creates an activity and shows the API's field errors beside their fields", async () => {
    let sent: Record<string, unknown> | null = null;
    mockApi({
      ...signedInManager(),
      "GET /api/projects/v1/projects/p-1/activities": () => page([]),
      "POST /api/projects/v1/projects/p-1/activities": async (req) => {
        sent = (await req.json()) as Record<string, unknown>;
        return problem(422, "The request is not valid", {
          errors: [{ field: "body.start_date", message: "Field required", code: "missing" }],
        });
      },
    });
    renderRoute(<ActivitiesSection projectId="p-1" canEdit />);
    await userEvent.click(await screen.findByRole("button", { name: "Add activity" }));
    const form = screen.getByTestId("activity-form");
    await userEvent.selectOptions(within(form).getByLabelText("Kind"), "on-site-visit");
    await userEvent.selectOptions(within(form).getByLabelText("Facility type"), "asylum-facility");
    await userEvent.type(within(form).getByLabelText("Title"), "Visit to Kostelec");
    await userEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByText("Required.")).toBeInTheDocument();
    expect(within(form).getByLabelText("Start")).toHaveAttribute("aria-invalid", "true");
    expect(sent).toMatchObject({ kind: "on-site-visit", facility_type: "asylum-facility", title: "Visit to Kostelec" });
  });

  it("edits with If-Match and, on a 412, loads the latest version into the form", async () => {
    const ifMatch: (string | null)[] = [];
    let current = visit(1, "Visit to Bělá");
    mockApi({
      ...signedInManager(),
      "GET /api/projects/v1/projects/p-1/activities": () => page([current]),
      "PATCH /api/projects/v1/projects/p-1/activities/a-1": (req) => {
        ifMatch.push(req.headers.get("If-Match"));
        current = visit(2, "Renamed by someone else");
        return problem(412, "Precondition failed", { detail: "The record has changed since you read it" });
      },
    });
    renderRoute(<ActivitiesSection projectId="p-1" canEdit />);
    await userEvent.click(await screen.findByRole("button", { name: "Edit Visit to Bělá" }));
    await userEvent.click(within(screen.getByTestId("activity-form")).getByRole("button", { name: "Save" }));
    expect(await screen.findByTestId("conflict")).toHaveTextContent("Someone else changed this activity");
    expect(ifMatch).toEqual(['"a-1.1"']);
    await userEvent.click(screen.getByRole("button", { name: "Load the latest version" }));
    await waitFor(() =>
      expect(within(screen.getByTestId("activity-form")).getByLabelText("Title")).toHaveValue(
        "Renamed by someone else",
      ),
    );
    expect(screen.queryByTestId("conflict")).not.toBeInTheDocument();
  });

  it("offers no changes to someone who may only read", async () => {
    mockApi({
      ...signedInManager(),
      "GET /api/projects/v1/projects/p-1/activities": () => page([visit(1, "Visit to Bělá")]),
    });
    renderRoute(<ActivitiesSection projectId="p-1" canEdit={false} />);
    expect(await screen.findByText("Visit to Bělá")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Add activity" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Edit/ })).not.toBeInTheDocument();
  });
});

describe("budgets section", () => {
  it("creates a budget in its own currency", async () => {
    let sent: Record<string, unknown> | null = null;
    mockApi({
      ...signedInManager(),
      "GET /api/projects/v1/projects/p-1/budgets": () => page([]),
      "POST /api/projects/v1/projects/p-1/budgets": async (req) => {
        sent = (await req.json()) as Record<string, unknown>;
        return json({}, { status: 201 });
      },
    });
    renderRoute(<BudgetsSection projectId="p-1" canEdit />);
    await userEvent.click(await screen.findByRole("button", { name: "Add budget" }));
    const form = screen.getByTestId("budget-form");
    await userEvent.type(within(form).getByLabelText("Period start"), "2010-01-01");
    await userEvent.type(within(form).getByLabelText("Period end"), "2010-12-31");
    await userEvent.type(within(form).getByLabelText("Amount"), "40000");
    await userEvent.selectOptions(
      await within(form)
        .findByRole("option", { name: /^GEL/ })
        .then(() => within(form).getByLabelText("Currency")),
      "GEL",
    );
    await userEvent.click(within(form).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.queryByTestId("budget-form")).not.toBeInTheDocument());
    expect(sent).toEqual({
      budget_type: "original",
      status: "indicative",
      period_start: "2010-01-01",
      period_end: "2010-12-31",
      amount: "40000",
      currency: "GEL",
      is_illustrative: false,
    });
  });
});

describe("transactions section", () => {
  it("edits a transaction with If-Match and deletes one after asking", async () => {
    const calls: string[] = [];
    const tx = {
      ...stamp,
      id: "t-1",
      project_id: "p-1",
      transaction_type: "disbursement",
      transaction_date: "2010-03-15",
      value_date: "2010-03-15",
      amount: "1000.00",
      currency: "USD",
      eur: null,
      description: null,
      provider: null,
      receiver: null,
      version: 3,
    };
    mockApi({
      ...signedInManager(),
      "GET /api/projects/v1/projects/p-1/transactions": () => page([tx]),
      "PATCH /api/projects/v1/projects/p-1/transactions/t-1": async (req) => {
        calls.push(`patch ${req.headers.get("If-Match")} ${JSON.stringify(await req.json())}`);
        return json({ ...tx, version: 4 });
      },
      "DELETE /api/projects/v1/projects/p-1/transactions/t-1": (req) => {
        calls.push(`delete ${req.headers.get("If-Match")}`);
        return new Response(null, { status: 204 });
      },
    });
    vi.spyOn(window, "confirm").mockReturnValue(true);
    renderRoute(<TransactionsSection projectId="p-1" canEdit />);
    await userEvent.click(await screen.findByRole("button", { name: /^Edit Disbursement/ }));
    const form = screen.getByTestId("transaction-form");
    expect(within(form).getByRole("heading")).toHaveTextContent("Edit transaction");
    const amount = within(form).getByLabelText("Amount");
    expect(amount).toHaveValue("1000");
    await userEvent.clear(amount);
    await userEvent.type(amount, "1200");
    await userEvent.click(within(form).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.queryByTestId("transaction-form")).not.toBeInTheDocument());
    await userEvent.click(screen.getByRole("button", { name: /^Delete Disbursement/ }));
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[0]).toMatch(/^patch "t-1\.3" .*"amount":"1200".*"currency":"USD"/);
    expect(calls[1]).toBe('delete "t-1.3"');
  });
});

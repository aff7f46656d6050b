import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { json, mockApi } from "@/test/api-mock";
import { renderRoute } from "@/test/render";
import { FundingExplorerPage } from "@/features/funding/routes/FundingExplorerPage";

const MOI = "5c0c4a2e-8f5e-5d1a-9a63-0f6c2f7c3b11";
const funder = {
  id: MOI,
  name: "Ministry of the Interior of the Czech Republic",
  acronym: "MoI CZ",
  departments: [{ id: "d", name: "Department of Asylum and Migration Policies", acronym: "OAMP" }],
  label: "Ministry of the Interior of the Czech Republic (OAMP)",
};

afterEach(() => {
  vi.unstubAllGlobals();
});

function api() {
  return mockApi({
    "GET /api/projects/v1/funding/summary": () =>
      json({
        group_by: ["funder"],
        transaction_types: ["disbursement"],
        rows: [
          {
            funder,
            eur_amount: "250000.00",
            transactions: 6,
            not_converted: [{ currency: "GEL", amount: "40000.00" }],
          },
        ],
        total: { eur_amount: "250000.00", transactions: 6, not_converted: [{ currency: "GEL", amount: "40000.00" }] },
      }),
    "GET /api/projects/v1/funding/funders": (req) =>
      json({
        items: new URL(req.url).searchParams.get("q") === "nothing" ? [] : [funder],
        total: 1,
        page: 1,
        page_size: 200,
      }),
    "GET /api/projects/v1/funding/summary/export": () =>
      new Response("funder,funder_id,eur_amount,transactions\r\n", { headers: { "Content-Type": "text/csv" } }),
    "GET /api/projects/v1/reference/countries": () =>
      json([{ code: "BA", name: "Bosnia and Herzegovina", region: "western-balkans", is_programme_country: true }]),
    "GET /api/projects/v1/reference/themes": () => json([]),
  });
}

const urls = (fetch: ReturnType<typeof api>, part: string) =>
  fetch.mock.calls
    .map(([req]) => new URL(String(req instanceof Request ? req.url : req), "http://localhost"))
    .filter((u) => u.pathname.endsWith(part));

describe("funding explorer", () => {
  it("shows the summary the URL asks for, with the unconverted amounts beside the EUR total", async () => {
    const fetch = api();
    renderRoute(<FundingExplorerPage />, { path: "/funding", url: `/funding?funder=${MOI}&country=BA&year_from=2004` });
    expect(await screen.findByTestId("explorer-total")).toHaveTextContent(
      /EUR\s250,000\.00\splus GEL\s40,000\.00 not converted/,
    );
    const table = screen.getByTestId("explorer-table");
    expect(within(table).getByRole("rowheader", { name: funder.label })).toBeInTheDocument();
    const asked = urls(fetch, "/funding/summary")[0];
    expect(asked?.searchParams.getAll("funder")).toEqual([MOI]);
    expect(asked?.searchParams.getAll("country")).toEqual(["BA"]);
    expect(asked?.searchParams.get("year_from")).toBe("2004");
    expect(asked?.searchParams.getAll("group_by")).toEqual(["funder"]);
  });

  it("downloads the file the API writes for exactly the query on screen", async () => {
    const fetch = api();
    vi.stubGlobal("URL", Object.assign(URL, { createObjectURL: vi.fn(() => "blob:x"), revokeObjectURL: vi.fn() }));
    renderRoute(<FundingExplorerPage />, {
      path: "/funding",
      url: `/funding?funder=${MOI}&country=BA&year_from=2004&split=year`,
    });
    await screen.findByTestId("explorer-total");
    await userEvent.click(screen.getByRole("button", { name: "Download CSV" }));
    await waitFor(() => expect(urls(fetch, "/summary/export")).toHaveLength(1));
    const summary = urls(fetch, "/funding/summary")[0] as URL;
    const file = urls(fetch, "/summary/export")[0] as URL;
    expect(file.searchParams.get("format")).toBe("csv");
    file.searchParams.delete("format");
    expect([...file.searchParams.entries()].sort()).toEqual([...summary.searchParams.entries()].sort());
  });

  it("adds a funder found by a department's name and keeps the choice in the URL", async () => {
    api();
    const { router } = renderRoute(<FundingExplorerPage />, { path: "/funding", url: "/funding" });
    await userEvent.type(await screen.findByLabelText("Find a funder"), "OAMP");
    await userEvent.click(await screen.findByRole("button", { name: `Add ${funder.label}` }));
    await waitFor(() => expect(router.state.location.search).toContain(`funder=${MOI}`));
    expect(screen.getByLabelText("Find a funder")).toHaveFocus();
    expect(within(screen.getByRole("list", { name: "Chosen funders" })).getByText(funder.label)).toBeInTheDocument();
  });
});

import { describe, expect, it } from "vitest";
import {
  countsQuery,
  fundingQuery,
  parseExplorerView,
  parseFundingFilters,
  writeFundingFilters,
} from "@/lib/funding-filters";

const MOI = "5c0c4a2e-8f5e-5d1a-9a63-0f6c2f7c3b11";

describe("funding filters in the URL", () => {
  it("reads what a shared link holds and drops what is malformed", () => {
    const params = new URLSearchParams(
      `funder=${MOI}&funder=nope&country=BA&country=bosnia&year_from=2004&year_to=1800&status=closed&status=x&type=commitment&rows=year&split=year`,
    );
    expect(parseFundingFilters(params)).toEqual({
      funder: [MOI],
      country: ["BA"],
      theme: [],
      status: ["closed"],
      yearFrom: 2004,
      yearTo: undefined,
      type: "commitment",
    });
    expect(parseExplorerView(params)).toEqual({ rows: "year", split: null }); // a split by the rows' own dimension is none
  });

  it("writes them back short (defaults left out) and keeps the page's other parameters", () => {
    const filters = parseFundingFilters(new URLSearchParams(`funder=${MOI}&country=BA&year_from=2004`));
    const written = writeFundingFilters(
      filters,
      { rows: "funder", split: "country" },
      new URLSearchParams("lang=ru&country=GE"),
    );
    expect(written.toString()).toBe(`lang=ru&funder=${MOI}&country=BA&year_from=2004&split=country`);
    expect(parseFundingFilters(written)).toEqual(filters);
  });

  it("asks the funding summary and the project counts for the same thing", () => {
    const filters = parseFundingFilters(new URLSearchParams(`funder=${MOI}&country=BA&year_from=2004`));
    expect(fundingQuery(filters, ["funder"])).toEqual({
      transaction_type: ["disbursement"],
      group_by: ["funder"],
      funder: [MOI],
      country: ["BA"],
      year_from: 2004,
    });
    expect(countsQuery(filters, ["country"])).toEqual({
      by: ["country"],
      organisation: [MOI],
      organisation_role: "funding",
      country: ["BA"],
      year_from: 2004,
    });
  });
});

import { describe, expect, it } from "vitest";
import type { SummaryRow } from "@/api/funding";
import { chartData } from "@/features/funding/api/rows";

const row = (patch: Partial<SummaryRow>): SummaryRow =>
  ({ eur_amount: "0", transactions: 1, not_converted: [], ...patch }) as SummaryRow;
const label = (r: SummaryRow, dim: string) => (dim === "year" ? String(r.year) : (r.country?.name ?? "?"));

describe("the explorer's chart", () => {
  it("places each summary row as one bar segment, years in order, nothing added up", () => {
    const rows = [
      row({ year: 2010, country: { code: "BA", name: "BiH" }, eur_amount: "100.00" }),
      row({ year: 2009, country: { code: "BA", name: "BiH" }, eur_amount: "50.50" }),
      row({ year: 2010, country: { code: "GE", name: "Georgia" }, eur_amount: "7.00" }),
    ];
    expect(chartData(rows, { rows: "year", split: "country" }, label)).toEqual({
      bars: [
        { key: "2009", label: "2009", values: { BA: 50.5 } },
        { key: "2010", label: "2010", values: { BA: 100, GE: 7 } },
      ],
      series: [
        { key: "BA", label: "BiH" },
        { key: "GE", label: "Georgia" },
      ],
    });
  });

  it("keeps the summary's order (largest first) for other dimensions, one EUR series without a split", () => {
    const rows = [
      row({ country: { code: "IQ", name: "Iraq" }, eur_amount: "9" }),
      row({ country: { code: "BA", name: "BiH" }, eur_amount: "3" }),
    ];
    expect(chartData(rows, { rows: "country", split: null }, label).bars.map((b) => [b.label, b.values.eur])).toEqual([
      ["Iraq", 9],
      ["BiH", 3],
    ]);
  });
});

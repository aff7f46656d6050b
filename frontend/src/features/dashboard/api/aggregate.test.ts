import { describe, expect, it } from "vitest";
import type { SummaryRow } from "@/api/funding";
import { aggregateByCountry, countBy, pivotFunderYear } from "@/features/dashboard/api/aggregate";
import { numericCode } from "@/maps/atlas";
import { SEA, SHADES, shadeFor } from "@/features/dashboard/components/FundingMap";

const row = (patch: Partial<SummaryRow>): SummaryRow =>
  ({ eur_amount: "0", transactions: 1, not_converted: [], ...patch }) as SummaryRow;

describe("dashboard aggregation", () => {
  it("joins EUR by country with project counts", () => {
    const rows = [row({ country: { code: "IQ", name: "Iraq" }, eur_amount: "800.50" })];
    const counts = [
      { key: "GE", projects: 2 },
      { key: "IQ", projects: 1 },
    ];
    expect(aggregateByCountry(rows, counts)).toEqual([
      { code: "IQ", name: "Iraq", eur: 800.5, hasEur: true, notConverted: [], projects: 1 },
      { code: "GE", name: "GE", eur: 0, hasEur: false, notConverted: [], projects: 2 },
    ]);
  });

  it("keeps money without a EUR value apart instead of counting it as EUR 0", () => {
    const rows = [
      row({
        country: { code: "GE", name: "Georgia" },
        eur_amount: "0.00",
        transactions: 1,
        not_converted: [{ currency: "GEL", amount: "40000.00" }],
      }),
      row({
        country: { code: "MD", name: "Moldova" },
        eur_amount: null as unknown as string,
        transactions: 1,
        not_converted: [{ currency: "MDL", amount: "600000.00" }],
      }),
      row({ country: { code: "MD", name: "Moldova" }, eur_amount: "100.00", transactions: 1 }),
    ];
    const [georgia, moldova] = aggregateByCountry(rows, []);
    expect(georgia).toMatchObject({ hasEur: false, eur: 0, notConverted: [{ currency: "GEL", amount: 40000 }] });
    expect(moldova).toMatchObject({ hasEur: true, eur: 100, notConverted: [{ currency: "MDL", amount: 600000 }] });
  });

  it("pivots funder × year into stacked bars", () => {
    const data = pivotFunderYear(
      [
        row({
          funder: { id: "1", name: "Czech Republic", acronym: "CZ", label: "Czech Republic (CZ)" },
          year: 2010,
          eur_amount: "10",
        }),
        row({ funder: null, year: 2010, eur_amount: "5" }),
        row({
          funder: { id: "1", name: "Czech Republic", acronym: "CZ", label: "Czech Republic (CZ)" },
          year: 2009,
          eur_amount: "7",
        }),
      ],
      "unknown",
    );
    expect(data).toEqual({
      years: [
        { year: 2009, "Czech Republic (CZ)": 7 },
        { year: 2010, "Czech Republic (CZ)": 10, unknown: 5 },
      ],
      funders: ["Czech Republic (CZ)", "unknown"],
    });
  });

  it("counts items under several keys", () => {
    expect(countBy([["a", "b"], ["a"]], (x) => x)).toEqual(
      new Map([
        ["a", 2],
        ["b", 1],
      ]),
    );
  });

  it("maps the API's alpha-2 codes to the atlas ids and shades by share of the maximum", () => {
    expect(numericCode("GE")).toBe("268");
    expect(numericCode("md")).toBe("498");
    expect(shadeFor(0, 10)).toBe("#e4e7eb");
    expect(shadeFor(10, 10)).toBe("#08306b");
  });

  it("never shades a country in the sea's colour", () => {
    const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const distance = (a: string, b: string) => Math.hypot(...rgb(a).map((v, i) => v - (rgb(b)[i] ?? 0)));
    for (const shade of SHADES) expect(distance(shade, SEA)).toBeGreaterThan(40);
    expect(distance(shadeFor(1, 100), SEA)).toBeGreaterThan(40);
  });
});

import { describe, expect, it } from "vitest";
import { partChoices, rowsFromTargets, targetsFromRows } from "@/features/frameworks/components/targets-model";

describe("targets in the framework editor", () => {
  it("turns form rows into the API's targets: overall, per period, per disaggregation value", () => {
    expect(
      targetsFromRows([
        { period: "", part: "", value: "120" },
        { period: " 2025 ", part: "sex=f", value: "12,5" },
      ]),
    ).toEqual([
      { period: null, disaggregation: {}, value: "120" },
      { period: "2025", disaggregation: { sex: "f" }, value: "12.5" },
    ]);
  });

  it("reads the API's targets back into rows", () => {
    const pi = {
      targets: [
        { period: "2025", period_start: null, period_end: null, disaggregation: { sex: "m" }, value: "60.0000" },
      ],
    } as unknown as Parameters<typeof rowsFromTargets>[0];
    expect(rowsFromTargets(pi)).toEqual([{ period: "2025", part: "sex=m", value: "60" }]);
  });

  it("offers the total and each value of each dimension", () => {
    const indicator = {
      dimensions: [
        {
          code: "sex",
          name: "Sex",
          values: [
            { code: "f", name: "Female" },
            { code: "m", name: "Male" },
          ],
        },
      ],
    };
    const names = {
      dimension: (_: string, f?: string) => f ?? "",
      value: (_d: string, _c: string, f?: string) => f ?? "",
      total: "Total",
    };
    expect(partChoices(indicator as never, names).map((c) => c.label)).toEqual(["Total", "Sex: Female", "Sex: Male"]);
  });
});

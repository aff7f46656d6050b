import { describe, expect, it } from "vitest";
import type { Report } from "@/features/reporting/api/report";
import { cellKey, cellsFromReport, changedValues, checkDimension, partsMismatch } from "@/features/reporting/components/grid-model";

describe("report grid model", () => {
  it("reads the report's values into cells keyed by indicator and disaggregation", () => {
    const report = {
      values: [
        { project_indicator_id: "pi", disaggregation: {}, value: "18.0000", text_value: null },
        { project_indicator_id: "pi", disaggregation: { sex: "f" }, value: "8.5000", text_value: null },
      ],
    } as unknown as Report;
    expect(cellsFromReport(report)).toEqual({ "pi|": "18", "pi|sex=f": "8.5" });
    expect(cellKey("pi", { b: "2", a: "1" })).toBe("pi|a=1;b=2");
  });

  it("sends only what changed, deleting emptied cells", () => {
    expect(changedValues({ "pi|": "18", "pi|sex=f": "8" }, { "pi|": "22", "pi|sex=f": "", "pi|sex=m": "12" })).toEqual([
      { project_indicator_id: "pi", disaggregation: {}, value: "22", incomplete: false, delete: false },
      { project_indicator_id: "pi", disaggregation: { sex: "f" }, delete: true, incomplete: false },
      { project_indicator_id: "pi", disaggregation: { sex: "m" }, value: "12", incomplete: false, delete: false },
    ]);
  });

  it("checks a total against its parts as you type", () => {
    expect(partsMismatch("25", ["10", "12"])).toBe(22);
    expect(partsMismatch("22", ["10", "12"])).toBeNull();
    expect(partsMismatch("22", ["", undefined])).toBeNull();
    expect(partsMismatch("", ["1"])).toBeNull();
  });

  it("sends a qualitative answer as text and the total again when its incomplete mark changes", () => {
    expect(changedValues({ "q|": "" }, { "q|": "Went well" }, { isText: (id) => id === "q" })).toEqual([
      { project_indicator_id: "q", disaggregation: {}, text_value: "Went well", incomplete: false, delete: false },
    ]);
    expect(changedValues({ "pi|": "20" }, { "pi|": "20" }, { flagsBefore: {}, flagsAfter: { pi: true } })).toEqual([
      { project_indicator_id: "pi", disaggregation: {}, value: "20", incomplete: true, delete: false },
    ]);
  });

  it("checks each dimension the way the API does on submit", () => {
    const parts = (f?: string, m?: string) => [
      { code: "f", value: f },
      { code: "m", value: m },
    ];
    expect(checkDimension("20", parts("8", "12"), false)).toBeNull();
    expect(checkDimension("20", parts("8", "10"), false)).toEqual({ kind: "sum", sum: 18 });
    expect(checkDimension("20", parts("25"), false)).toEqual({ kind: "exceeds", sum: 25 });
    expect(checkDimension("20", parts("5"), true)).toEqual({ kind: "missing", missing: ["m"], warning: true });
    expect(checkDimension("", parts("5"), false)).toEqual({ kind: "no-total", sum: 5 });
    expect(checkDimension("20", parts(), false)).toBeNull();
  });
});

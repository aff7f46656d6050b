import { describe, expect, it } from "vitest";
import type { Report } from "@/features/reporting/api/report";
import type { Framework } from "@/api/reporting";
import {
  canonicalNumber,
  cellKey,
  cellsFromReport,
  changedValues,
  checkDimension,
  frameworkForPeriod,
  invalidCells,
  partsMismatch,
} from "@/features/reporting/components/grid-model";

describe("report grid model", () => {
  it("offers the indicators reported in the report's period, and keeps any that already hold a value", () => {
    const pi = (id: string, frequency: string) => ({ id, frequency, indicator: { id: `i-${id}`, code: id, name: id } });
    const framework = {
      results: [{ id: "r", indicators: [pi("q", "quarter"), pi("y", "year"), pi("once", "once"), pi("old", "year")] }],
    } as unknown as Framework;
    const { shown, elsewhere } = frameworkForPeriod(framework, {
      frequencies: ["quarter", "once"],
      values: [{ project_indicator_id: "old" }],
    } as never);
    expect(shown.results[0]?.indicators.map((x) => x.id)).toEqual(["q", "once", "old"]);
    expect(elsewhere.map((x) => x.id)).toEqual(["y"]);
  });

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

  it("reads numbers in the user's language, and an unchanged value is no change", () => {
    expect(canonicalNumber("12 500,50", "cs")).toBe("12500.5");
    expect(canonicalNumber("25.000", "en")).toBe("25");
    expect(canonicalNumber("007", "en")).toBe("7");
    expect(canonicalNumber("abc", "en")).toBeNull();
    expect(changedValues({ "pi|": "25" }, { "pi|": "25,0" }, { language: "cs" })).toEqual([]);
    expect(changedValues({ "pi|": "25" }, { "pi|": "12,5" }, { language: "cs" })).toEqual([
      { project_indicator_id: "pi", disaggregation: {}, value: "12.5", incomplete: false, delete: false },
    ]);
    expect(
      checkDimension(
        "20",
        [
          { code: "f", value: "7,5" },
          { code: "m", value: "12,5" },
        ],
        false,
        "cs",
      ),
    ).toBeNull();
    expect(invalidCells({ "pi|": "12x", "pi|sex=f": "3", "q|": "text" }, (id) => id === "q")).toEqual(["pi|"]);
  });
});

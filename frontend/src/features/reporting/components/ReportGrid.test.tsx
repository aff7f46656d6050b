import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import type { Framework } from "@/api/reporting";
import type { Indicator } from "@/features/reporting/api/report";
import type { Cells, Flags } from "@/features/reporting/components/grid-model";
import { ReportGrid } from "@/features/reporting/components/ReportGrid";
import i18n from "@/i18n/i18n";

const framework = {
  project_id: "p",
  results: [
    {
      id: "r",
      title: "Border officials trained",
      indicators: [
        {
          id: "pi",
          indicator: { id: "ind", code: "officials-trained", name: "Officials trained", unit: "persons" },
          targets: [],
        },
      ],
    },
  ],
} as unknown as Framework;
const sex = {
  code: "sex",
  name: "Sex",
  values: [
    { code: "f", name: "Female" },
    { code: "m", name: "Male" },
  ],
};
const age = {
  code: "age-group",
  name: "Age group",
  values: [
    { code: "u30", name: "Under 30" },
    { code: "30p", name: "30 and over" },
  ],
};
const indicator = (dimensions: unknown[]) =>
  new Map([["ind", { id: "ind", measure: "number", aggregation: "sum", dimensions } as unknown as Indicator]]);

function Harness({
  readOnly = false,
  dimensions = [sex],
  initial = { "pi|": "18" },
}: {
  readOnly?: boolean;
  dimensions?: unknown[];
  initial?: Cells;
}) {
  const [cells, setCells] = useState<Cells>(initial);
  const [flags, setFlags] = useState<Flags>({});
  return (
    <ReportGrid
      framework={framework}
      indicators={indicator(dimensions)}
      cells={cells}
      flags={flags}
      errors={{}}
      readOnly={readOnly}
      onChange={(k, v) => setCells((c) => ({ ...c, [k]: v }))}
      onFlag={(id, on) => setFlags((f) => ({ ...f, [id]: on }))}
    />
  );
}

describe("ReportGrid", () => {
  it("has a labelled cell per indicator and disaggregation, and checks the total as you type", async () => {
    render(<Harness />);
    expect(screen.getByLabelText("Officials trained: total")).toHaveValue("18");
    await userEvent.type(screen.getByLabelText("Officials trained: Female (Sex)"), "10");
    expect(screen.getByRole("status")).toHaveTextContent(
      "Sex: 1 value missing — enter it, or mark the total as incomplete.",
    );
    await userEvent.type(screen.getByLabelText("Officials trained: Male (Sex)"), "12");
    expect(screen.getByRole("status")).toHaveTextContent("Sex: the parts add up to 22, not to the total.");
    expect(screen.getByLabelText("Officials trained: total")).toHaveAttribute("aria-invalid", "true");
    await userEvent.clear(screen.getByLabelText("Officials trained: total"));
    await userEvent.type(screen.getByLabelText("Officials trained: total"), "22");
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
  });

  it("shows every dimension as its own block, each checked against the total", async () => {
    render(<Harness dimensions={[sex, age]} initial={{ "pi|": "20" }} />);
    const bySex = screen.getByTestId("dimension-sex");
    const byAge = screen.getByTestId("dimension-age-group");
    expect(screen.getByRole("group", { name: "Sex" })).toBe(bySex);
    await userEvent.type(screen.getByLabelText("Officials trained: Female (Sex)"), "8");
    await userEvent.type(screen.getByLabelText("Officials trained: Male (Sex)"), "12");
    expect(within(bySex).queryByRole("status")).not.toBeInTheDocument();
    await userEvent.type(screen.getByLabelText("Officials trained: Under 30 (Age group)"), "25");
    expect(within(byAge).getByRole("status")).toHaveTextContent("Age group: the parts (25) exceed the total.");
    await userEvent.clear(screen.getByLabelText("Officials trained: Under 30 (Age group)"));
    await userEvent.type(screen.getByLabelText("Officials trained: Under 30 (Age group)"), "5");
    expect(within(byAge).getByRole("status")).toHaveTextContent("Age group: 1 value missing");
    await userEvent.click(screen.getByLabelText("Breakdown incomplete"));
    expect(within(byAge).getByRole("status")).toHaveTextContent("the total is marked incomplete");
    await userEvent.type(screen.getByLabelText("Officials trained: 30 and over (Age group)"), "10");
    expect(within(byAge).getByRole("status")).toHaveTextContent("Age group: the parts add up to 15, not to the total.");
  });

  it("shows values for combinations of dimensions that an import sent", () => {
    render(<Harness dimensions={[sex, age]} initial={{ "pi|": "20", "pi|age-group=u30;sex=f": "4" }} />);
    expect(screen.getByLabelText("Officials trained: Under 30 × Female")).toHaveValue("4");
  });

  it("is read-only once submitted: values as text, no boxes to type in", () => {
    render(<Harness readOnly initial={{ "pi|": "18", "pi|sex=f": "8" }} />);
    expect(screen.getByLabelText("Officials trained: total")).toHaveTextContent("18");
    expect(screen.getByLabelText("Officials trained: Male (Sex)")).toHaveTextContent("—");
    expect(screen.queryAllByRole("textbox")).toEqual([]);
    expect(screen.getByLabelText("Breakdown incomplete")).toBeDisabled();
  });

  it("names indicators and results in the reader's language, else in their own", async () => {
    const results = framework.results as unknown as {
      titles?: object;
      language?: string;
      indicators: { indicator: object }[];
    }[];
    const [result] = results;
    if (!result?.indicators[0]) throw new Error("fixture");
    const plain = { ...result, indicators: [...result.indicators] };
    result.titles = { en: "Border officials trained", ru: "Обучение пограничников" };
    result.language = "en";
    result.indicators[0] = {
      ...result.indicators[0],
      indicator: { ...result.indicators[0].indicator, language: "cs", names: { cs: "Vyškolení úředníci" } },
    };
    try {
      await i18n.changeLanguage("ru");
      render(<Harness />);
      const header = screen.getAllByRole("rowheader")[0];
      expect(header).toHaveTextContent("Vyškolení úředníci"); // no Russian name: the indicator's own language
      expect(header).toHaveTextContent("Обучение пограничников");
    } finally {
      await i18n.changeLanguage("en");
      results[0] = plain;
    }
  });

  it("shows earlier periods beside each cell, read with it, and marks cells changed since the last submission", () => {
    render(
      <ReportGrid
        framework={framework}
        indicators={indicator([sex])}
        cells={{ "pi|": "22" }}
        errors={{}}
        readOnly={false}
        onChange={() => undefined}
        previous={
          new Map([
            [
              "pi|",
              [
                { period: "2010S1", value: "18.0000" },
                { period: "2009S2", value: "32.0000" },
              ],
            ],
          ])
        }
        changed={new Set(["pi|"])}
      />,
    );
    const total = screen.getByLabelText("Officials trained: total");
    expect(total).toHaveAccessibleDescription(/2010S1: 18 · 2009S2: 32/);
    expect(total).toHaveAccessibleDescription(/changed/i);
  });
});

import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import type { Framework } from "@/api/reporting";
import type { Indicator } from "@/features/reporting/api/report";
import type { Cells } from "@/features/reporting/components/grid-model";
import { ReportGrid } from "@/features/reporting/components/ReportGrid";

const framework = {
  project_id: "p",
  results: [
    {
      id: "r",
      title: "Border officials trained",
      indicators: [{ id: "pi", indicator: { id: "ind", code: "officials-trained", name: "Officials trained", unit: "persons" }, targets: [] }],
    },
  ],
} as unknown as Framework;
const indicators = new Map([
  ["ind", { id: "ind", dimensions: [{ code: "sex", name: "Sex", values: [{ code: "f", name: "Female" }, { code: "m", name: "Male" }] }] } as unknown as Indicator],
]);

function Harness({ readOnly = false }: { readOnly?: boolean }) {
  const [cells, setCells] = useState<Cells>({ "pi|": "18" });
  return <ReportGrid framework={framework} indicators={indicators} cells={cells} errors={{}} readOnly={readOnly} onChange={(k, v) => setCells({ ...cells, [k]: v })} />;
}

describe("ReportGrid", () => {
  it("has a labelled cell per indicator and disaggregation, and checks the total as you type", async () => {
    render(<Harness />);
    expect(screen.getByLabelText("Officials trained: total")).toHaveValue("18");
    await userEvent.type(screen.getByLabelText("Officials trained: Female"), "10");
    await userEvent.type(screen.getByLabelText("Officials trained: Male"), "12");
    expect(screen.getByRole("status")).toHaveTextContent("The parts add up to 22, not to the total.");
    expect(screen.getByLabelText("Officials trained: total")).toHaveAttribute("aria-invalid", "true");
    await userEvent.clear(screen.getByLabelText("Officials trained: total"));
    await userEvent.type(screen.getByLabelText("Officials trained: total"), "22");
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
  });

  it("is read-only once submitted", () => {
    render(<Harness readOnly />);
    expect(screen.getByLabelText("Officials trained: total")).toHaveAttribute("readonly");
  });
});

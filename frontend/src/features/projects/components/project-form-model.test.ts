import { describe, expect, it } from "vitest";
import { bodyFromForm, emptyForm, percentageTotal } from "@/features/projects/components/project-form-model";

describe("project form model", () => {
  it("turns blanks into nulls and keeps percentages exact", () => {
    const form = {
      ...emptyForm(),
      code: " XM-1 ",
      title: "T",
      countries: [{ country_code: "GE", percentage: "33.33" }],
    };
    const body = bodyFromForm(form);
    expect(body).toMatchObject({
      code: "XM-1",
      title: "T",
      description: null,
      planned_start: null,
      is_illustrative: false,
    });
    expect(body.countries).toEqual([{ country_code: "GE", percentage: "33.33" }]);
  });

  it("adds up the country shares as the user types", () => {
    const form = {
      ...emptyForm(),
      countries: [
        { country_code: "AM", percentage: "33.3" },
        { country_code: "GE", percentage: "66.7" },
        { country_code: "", percentage: "x" },
      ],
    };
    expect(percentageTotal(form)).toBeCloseTo(100);
  });
});

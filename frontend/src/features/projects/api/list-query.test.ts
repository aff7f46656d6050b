import { describe, expect, it } from "vitest";
import { parseListQuery, toSearchParams } from "@/features/projects/api/list-query";

describe("project list URL state", () => {
  it("reads every filter, the sort and the page from the URL", () => {
    const params = new URLSearchParams(
      "country=GE&country=MD&region=central-asia&organisation=o1&organisation_role=funding&theme=visa-policy&sector=15190&status=closed&year_from=2008&year_to=2010&q=border&sort=-start&page=3&page_size=50",
    );
    expect(parseListQuery(params)).toEqual({
      country: ["GE", "MD"],
      region: ["central-asia"],
      organisation: ["o1"],
      organisation_role: "funding",
      theme: ["visa-policy"],
      sector: ["15190"],
      status: ["closed"],
      year_from: 2008,
      year_to: 2010,
      q: "border",
      sort: "-start",
      page: 3,
      page_size: 50,
    });
  });

  it("drops values the API would refuse", () => {
    expect(
      parseListQuery(
        new URLSearchParams("status=bogus&sort=drop&page=-2&page_size=7&year_from=12&organisation_role=x"),
      ),
    ).toEqual({
      page: 1,
      page_size: 25,
    });
  });

  it("round-trips and leaves defaults out of the URL", () => {
    const query = parseListQuery(new URLSearchParams("country=GE&sort=-title&page=2"));
    expect(toSearchParams(query).toString()).toBe("country=GE&sort=-title&page=2");
    expect(toSearchParams({ page: 1, page_size: 25, sort: "code" }).toString()).toBe("");
  });
});

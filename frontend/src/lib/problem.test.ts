import { describe, expect, it } from "vitest";
import { ApiError, fieldErrors, unwrap } from "@/lib/problem";

describe("fieldErrors", () => {
  it("keys the API's field paths by the form's field names", () => {
    const errors = fieldErrors({
      title: "The request is not valid",
      status: 422,
      errors: [
        { field: "body.code", message: "Too short" },
        { field: "body.countries[0].percentage", message: "At most 100" },
        { field: "query.page", message: "Positive" },
      ],
    });
    expect(errors).toEqual({ code: "Too short", "countries[0].percentage": "At most 100", page: "Positive" });
  });

  it("joins several messages for one field and tolerates no errors", () => {
    expect(
      fieldErrors({
        title: "x",
        status: 422,
        errors: [
          { field: "body.code", message: "A." },
          { field: "body.code", message: "B." },
        ],
      }),
    ).toEqual({
      code: "A. B.",
    });
    expect(fieldErrors(null)).toEqual({});
  });
});

describe("unwrap", () => {
  it("returns the data of a successful response", () => {
    expect(unwrap({ data: { a: 1 }, response: new Response(null, { status: 200 }) })).toEqual({ a: 1 });
  });

  it("throws an ApiError carrying the problem", () => {
    const call = () =>
      unwrap({
        error: { title: "The resource has changed", status: 412, detail: "stale" },
        response: new Response(null, { status: 412 }),
      });
    expect(call).toThrow(ApiError);
    try {
      call();
    } catch (error) {
      expect((error as ApiError).status).toBe(412);
      expect((error as ApiError).message).toBe("stale");
    }
  });

  it("makes a problem out of a body that is not one", () => {
    try {
      unwrap({ error: "oops", response: new Response(null, { status: 502, statusText: "Bad Gateway" }) });
    } catch (error) {
      expect((error as ApiError).problem).toMatchObject({ status: 502, title: "Bad Gateway" });
    }
  });
});

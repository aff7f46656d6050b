import { describe, expect, it } from "vitest";
import i18n from "@/i18n/i18n";
import { localFieldErrors } from "@/lib/field-messages";

const problem = {
  title: "The request is not valid",
  status: 422,
  errors: [
    { field: "body.code", message: "String should have at least 3 characters", code: "string_too_short" },
    {
      field: "body.countries[0].country_code",
      message: "Value error, unknown ISO 3166 country code ''",
      code: "value_error",
    },
    {
      field: "body.countries[0].percentage",
      message: "Input should be less than or equal to 100",
      code: "less_than_equal",
    },
    { field: "body.amount", message: "Input should be a valid decimal", code: "decimal_parsing" },
    { field: "body.mystery", message: "Something odd", code: "never_seen_before" },
  ],
};

describe("the API's field errors in the user's language", () => {
  it.each([
    [
      "en",
      "At least 3 characters.",
      "Choose a country.",
      "Must be at most 100.",
      "Enter a number, e.g. 12,500.50.",
      "This value is not valid.",
    ],
    [
      "cs",
      "Počet znaků: alespoň 3.",
      "Vyberte zemi.",
      "Může být nejvýše 100.",
      "Zadejte číslo, např. 12 500,50.",
      "Neplatná hodnota.",
    ],
    [
      "ru",
      "Не менее 3 символов.",
      "Выберите страну.",
      "Должно быть не больше 100.",
      "Введите число, например 12 500,50.",
      "Недопустимое значение.",
    ],
  ])("%s", (language, code, country, share, amount, unknown) => {
    const errors = localFieldErrors(problem, i18n.getFixedT(language), language);
    expect(errors).toEqual({
      code,
      "countries[0].country_code": country,
      "countries[0].percentage": share,
      amount,
      mystery: unknown,
    });
    expect(JSON.stringify(errors)).not.toMatch(/should|Value error|ISO 3166/);
  });
});

/**
 * The API's field errors in the user's language. The API names each failed field and a machine-readable `code`
 * (pydantic's error type, or the service's own: "unknown", "date_order", "sum"…); its `message` is English for
 * developers. The page shows the translation of the code, with the limit it needs (read from the message, whose
 * wording the validators keep stable); a code this table does not know gets a general "not valid" in the user's
 * language rather than English text.
 */
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { formatNumber } from "@/lib/format";
import { ApiError, type FieldError, type Problem } from "@/lib/problem";

const NUMBER = /(-?\d+(?:\.\d+)?)/;

function limit(message: string, language: string): string {
  const found = NUMBER.exec(message)?.[1];
  return found === undefined ? "" : formatNumber(language, found, 4);
}

/** pydantic's value_error carries our validators' own sentences: matched by what they say. */
const VALUE_ERRORS: readonly [RegExp, string][] = [
  [/country code/i, "validation.chooseCountry"],
  [/currency/i, "validation.chooseCurrency"],
  [/percentages must total 100/i, "validation.sharesTotal"],
  [/listed twice/i, "validation.duplicate"],
  [/unknown (theme|DAC|IATI organisation type)/i, "validation.chooseFromList"],
  [/exactly one of/i, "validation.oneOf"],
];

const CODES: Record<string, string> = {
  missing: "validation.required",
  required: "validation.required",
  string_too_short: "validation.tooShort",
  string_too_long: "validation.tooLong",
  too_short: "validation.tooFew",
  too_long: "validation.tooMany",
  greater_than: "validation.greaterThan",
  greater_than_equal: "validation.atLeast",
  less_than: "validation.lessThan",
  less_than_equal: "validation.atMost",
  decimal_parsing: "validation.number",
  decimal_type: "validation.number",
  float_parsing: "validation.number",
  int_parsing: "validation.wholeNumber",
  decimal_max_places: "validation.decimalPlaces",
  decimal_max_digits: "validation.tooBig",
  date_parsing: "validation.date",
  date_from_datetime_parsing: "validation.date",
  date_from_datetime_inexact: "validation.date",
  date_type: "validation.date",
  uuid_parsing: "validation.chooseFromList",
  enum: "validation.chooseFromList",
  literal_error: "validation.chooseFromList",
  string_pattern_mismatch: "validation.pattern",
  pattern: "validation.pattern",
  unknown: "validation.unknown",
  duplicate: "validation.duplicateValue",
  date_order: "validation.dateOrder",
  range: "validation.range",
  type: "validation.type",
  sum: "validation.sum",
  total_missing: "validation.totalMissing",
  incomplete: "validation.incomplete",
  unknown_dimension: "validation.chooseFromList",
  unknown_value: "validation.chooseFromList",
  open_period: "validation.closedPeriod",
  empty: "validation.emptyReport",
  not_allowed: "validation.notAllowed",
  period: "validation.period",
  overlap: "validation.overlap",
  frequency: "validation.frequency",
};

/** One field error in the user's language. */
export function fieldMessage(error: FieldError, t: TFunction, language: string): string {
  const code = error.code ?? "invalid";
  if (code === "value_error") {
    const match = VALUE_ERRORS.find(([pattern]) => pattern.test(error.message));
    return t(match ? match[1] : "validation.invalid");
  }
  if (/period/.test(error.field) && (code === "invalid" || code === "value_error")) return t("validation.period");
  const key = CODES[code];
  if (!key) return t("validation.invalid");
  // Sums name their dimension at the end of the path: "values[officials-trained].sex".
  const dimension = error.field.split(".").pop() ?? "";
  return t(key, {
    limit: limit(error.message, language),
    dimension: t(`codes.dimensions.${dimension}`, { defaultValue: dimension }),
  });
}

/**
 * Field errors keyed by the form's field path ("body.countries[0].percentage" → "countries[0].percentage"), each in
 * the user's language; several for one field are joined.
 */
export function localFieldErrors(
  problem: Problem | null | undefined,
  t: TFunction,
  language: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const error of problem?.errors ?? []) {
    const key = error.field.replace(/^(body|query|path|header)\.?/, "") || "_form";
    const message = fieldMessage(error, t, language);
    out[key] = out[key] && !out[key].includes(message) ? `${out[key]} ${message}` : message;
  }
  return out;
}

/** The field errors of whatever a save failed with (none unless it is an ApiError carrying problem+json). */
export function useFieldErrors(error: unknown): Record<string, string> {
  const { t, i18n } = useTranslation();
  return localFieldErrors(error instanceof ApiError ? error.problem : null, t, i18n.language);
}

/**
 * Numbers as people type them in their language: "12,500.50" in English, "12 500,50" or "12500,5" in Czech and
 * Russian. They become the plain decimal text the API takes ("12500.50"); anything ambiguous is refused rather than
 * guessed (in English "12,5" could be a typo for 12.5 or 125).
 */
import { intlLocale } from "@/lib/format";

export type ParsedNumber = { ok: true; value: string | null } | { ok: false };

const decimals = new Map<string, string>();

/** The language's decimal mark ("." in English, "," in Czech and Russian). */
export function decimalMark(language: string): string {
  let mark = decimals.get(language);
  if (mark === undefined) {
    mark =
      new Intl.NumberFormat(intlLocale(language)).formatToParts(1.5).find((p) => p.type === "decimal")?.value ?? ".";
    decimals.set(language, mark);
  }
  return mark;
}

/** Spaces of any kind (and apostrophes) only ever group digits. */
const GROUPING_SPACES = /[\s\u00a0\u202f\u2009']/g;
const grouped = (mark: string) => new RegExp(`^\\d{1,3}(\\${mark}\\d{3})+$`);

function integerPart(text: string, group: string | null): string | null {
  if (/^\d+$/.test(text)) return text;
  if (group !== null && grouped(group).test(text)) return text.split(group).join("");
  return null;
}

/** The decimal text of what was typed; `value: null` for an empty field, `ok: false` when it is not a number. */
export function parseLocaleNumber(text: string, language: string): ParsedNumber {
  let raw = text.trim();
  if (raw === "") return { ok: true, value: null };
  const negative = /^[-\u2212]/.test(raw);
  raw = raw.replace(/^[-+\u2212]/, "").replace(GROUPING_SPACES, "");
  const comma = raw.includes(",");
  const dot = raw.includes(".");
  let integer: string | null;
  let fraction = "";
  if (comma && dot) {
    // Both marks: the later one is the decimal mark and the other groups ("12,500.50", "12.500,50").
    const mark = raw.lastIndexOf(".") > raw.lastIndexOf(",") ? "." : ",";
    const at = raw.lastIndexOf(mark);
    integer = integerPart(raw.slice(0, at), mark === "." ? "," : ".");
    fraction = raw.slice(at + 1);
  } else if (comma || dot) {
    const mark = comma ? "," : ".";
    const pieces = raw.split(mark);
    // A dot is always accepted as the decimal mark (the API's own form); a comma only where it is the language's.
    const isDecimal = pieces.length === 2 && (mark === "." || decimalMark(language) === ",");
    if (isDecimal) {
      integer = integerPart(pieces[0] || "0", null);
      fraction = pieces[1] ?? "";
    } else {
      integer = integerPart(raw, mark); // thousands only: "12,500" in English, "12.500.000" in Czech
    }
  } else {
    integer = integerPart(raw, null);
  }
  if (integer === null || !/^\d*$/.test(fraction)) return { ok: false };
  return { ok: true, value: `${negative ? "-" : ""}${integer}${fraction ? `.${fraction}` : ""}` };
}

/** Texts in several languages (`{ISO 639-1 code: text}`), as the APIs hold titles, descriptions and names. */
export type Narratives = Record<string, string>;

/** The text in the reader's language, else in the record's own language, else any: never nothing when one exists. */
export function pickText(
  narratives: Narratives | undefined | null,
  preferred: string,
  fallback: string | undefined,
  plain: string,
): string {
  const held = narratives ?? {};
  const base = baseLanguage(preferred);
  return held[base] ?? (fallback ? held[fallback] : undefined) ?? (plain || Object.values(held)[0]) ?? "";
}

/** "ru-RU" → "ru": the texts are held by ISO 639-1 code. */
export function baseLanguage(tag: string): string {
  return tag.split("-")[0] ?? tag;
}

/** The languages offered when adding one: the app's own first, then the rest of ISO 639-1's most used. */
export const COMMON_LANGUAGES = [
  "en",
  "ru",
  "cs",
  "fr",
  "es",
  "de",
  "ka",
  "ro",
  "uk",
  "kk",
  "ky",
  "tg",
  "uz",
  "hy",
  "az",
  "bs",
  "sr",
  "hr",
  "ar",
  "tr",
];

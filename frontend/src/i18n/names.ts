import { useCallback } from "react";
import { useTranslation } from "react-i18next";

/**
 * Names of things the API sends as codes (countries, currencies, themes, regions, sectors, codelists), in the UI
 * language. Countries and currencies come from the browser's CLDR data (Intl.DisplayNames) by their ISO code; the
 * registry's own code lists from the translation files. The API's English name is the fallback, never the code.
 * What people typed (project titles, organisation names) is shown as entered.
 */
const displayNames = new Map<string, Intl.DisplayNames | null>();

function names(locale: string, type: "region" | "currency"): Intl.DisplayNames | null {
  const key = `${locale}|${type}`;
  if (!displayNames.has(key)) {
    try {
      displayNames.set(key, new Intl.DisplayNames([locale], { type, fallback: "none" }));
    } catch {
      displayNames.set(key, null);
    }
  }
  return displayNames.get(key) ?? null;
}

/** "GE" → "Georgia" / "Грузия" / "Gruzie". */
export function countryName(locale: string, code: string, fallback?: string | null): string {
  return names(locale, "region")?.of(code.toUpperCase()) ?? fallback ?? code;
}

/** "GEL" → "Georgian Lari" / "грузинский лари" / "gruzínské lari". */
export function currencyName(locale: string, code: string, fallback?: string | null): string {
  return names(locale, "currency")?.of(code.toUpperCase()) ?? fallback ?? code;
}

type Lookup = (code: string, fallback?: string | null) => string;

export function useCountryName(): Lookup {
  const { i18n } = useTranslation();
  const locale = i18n.language;
  return useCallback((code, fallback) => countryName(locale, code, fallback), [locale]);
}

export function useCurrencyName(): Lookup {
  const { i18n } = useTranslation();
  const locale = i18n.language;
  return useCallback((code, fallback) => currencyName(locale, code, fallback), [locale]);
}

/** A code list kept in the translation files: themes, regions, sectors, orgTypes, dimensions, measures, levels… */
export function useCodeName(
  list:
    "themes" | "regions" | "sectors" | "orgTypes" | "dimensions" | "dimensionValues" | "measures" | "levels" | "units",
): Lookup {
  const { t } = useTranslation();
  return useCallback((code, fallback) => t(`codes.${list}.${code}`, { defaultValue: fallback ?? code }), [t, list]);
}

/** A list sorted by the names it is shown with, in the UI language's order. */
export function sortByName<T>(items: readonly T[], name: (item: T) => string): T[] {
  return [...items].sort((a, b) => name(a).localeCompare(name(b)));
}

import { LOCALES, type Locale } from "@/config/env";

// Only harmless preferences live in localStorage; tokens never do (the access token stays in memory).
const LANGUAGE_KEY = "mcb.language";

export function storedLanguage(): Locale | null {
  try {
    const value = localStorage.getItem(LANGUAGE_KEY);
    return value && (LOCALES as readonly string[]).includes(value) ? (value as Locale) : null;
  } catch {
    return null;
  }
}

export function storeLanguage(locale: Locale): void {
  try {
    localStorage.setItem(LANGUAGE_KEY, locale);
  } catch {
    // private mode: the choice lasts for this page only
  }
}

/** The app's environment, read and validated once at start-up; everything else imports `env`. */
export type Locale = "en" | "ru" | "cs";
export const LOCALES: readonly Locale[] = ["en", "ru", "cs"];

export interface Env {
  /** Origin (or path prefix) before `/api/...`; empty means the SPA's own origin, as the gateway serves it. */
  apiBase: string;
  defaultLocale: Locale;
}

export function parseEnv(raw: Record<string, unknown>): Env {
  const apiBase = String(raw.VITE_API_BASE ?? "").trim();
  if (apiBase !== "" && !/^(https?:\/\/[^\s/]+)?(\/[^\s]*)?$/.test(apiBase)) {
    throw new Error(`VITE_API_BASE must be empty, a path or an http(s) origin, not ${JSON.stringify(apiBase)}`);
  }
  const locale = String(raw.VITE_DEFAULT_LOCALE ?? "en");
  if (!(LOCALES as readonly string[]).includes(locale)) {
    throw new Error(`VITE_DEFAULT_LOCALE must be one of ${LOCALES.join(", ")}, not ${JSON.stringify(locale)}`);
  }
  return { apiBase: apiBase.replace(/\/$/, ""), defaultLocale: locale as Locale };
}

export const env: Env = parseEnv(import.meta.env);

/** The absolute base of API URLs: the configured one, else this page's origin (what the gateway serves). */
export function apiOrigin(): string {
  return env.apiBase || (typeof location !== "undefined" ? location.origin : "");
}

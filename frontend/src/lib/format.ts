/** Locale-aware formatting of numbers, money and dates (Intl with the UI language). */
const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

/**
 * The Intl locale of a UI language. English follows the browser's own English ("en-US" people get US dates), and is
 * British English otherwise: the registry's users are in Europe, and bare "en" means US-style dates in Intl.
 */
export function intlLocale(language: string, browserLanguages: readonly string[] = browserPreferences()): string {
  if (language !== "en") return language;
  return browserLanguages.find((tag) => /^en-[A-Za-z]{2}$/.test(tag)) ?? "en-GB";
}

function browserPreferences(): readonly string[] {
  return typeof navigator === "undefined" ? [] : (navigator.languages ?? [navigator.language]);
}

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale}|${JSON.stringify(options)}`;
  let format = cache.get(key) as Intl.NumberFormat | undefined;
  if (!format) {
    format = new Intl.NumberFormat(intlLocale(locale), options);
    cache.set(key, format);
  }
  return format;
}

export function formatNumber(locale: string, value: number | string, maximumFractionDigits = 0): string {
  return numberFormat(locale, { maximumFractionDigits }).format(Number(value));
}

export function formatPercent(locale: string, value: number | string): string {
  return numberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(Number(value) / 100);
}

/** An amount in its own currency; an unknown code falls back to "1,234.00 XYZ". */
export function formatMoney(locale: string, amount: number | string, currency: string, compact = false): string {
  try {
    return numberFormat(locale, {
      style: "currency",
      currency,
      currencyDisplay: "code",
      notation: compact ? "compact" : "standard",
      maximumFractionDigits: compact ? 1 : 2,
    }).format(Number(amount));
  } catch {
    return `${formatNumber(locale, amount, 2)} ${currency}`;
  }
}

/** An amount in whole units of its currency ("EUR 1,239,512"): a headline that still moves when a small entry is added. */
export function formatMoneyWhole(locale: string, amount: number | string, currency: string): string {
  try {
    return numberFormat(locale, {
      style: "currency",
      currency,
      currencyDisplay: "code",
      maximumFractionDigits: 0,
      minimumFractionDigits: 0,
    }).format(Number(amount));
  } catch {
    return `${formatNumber(locale, amount, 0)} ${currency}`;
  }
}

/** A short number for chart axes ("600K", "600 тыс.", "600 tis."): the unit goes in the axis's label. */
export function formatCompact(locale: string, value: number): string {
  return numberFormat(locale, { notation: "compact", maximumFractionDigits: 1 }).format(value);
}

/** A calendar date from the API ("2010-01-31"), shown without any time-zone shift. */
export function formatDate(locale: string, value: string | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return value;
  const key = `d|${locale}|${value.length === 10}`;
  let format = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!format) {
    format =
      value.length === 10
        ? new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "medium", timeZone: "UTC" })
        : new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "medium", timeStyle: "short" });
    cache.set(key, format);
  }
  return format.format(date);
}

/** Locale-aware formatting of numbers, money and dates (Intl with the UI language). */
const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale}|${JSON.stringify(options)}`;
  let format = cache.get(key) as Intl.NumberFormat | undefined;
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
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
        ? new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" })
        : new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
    cache.set(key, format);
  }
  return format.format(date);
}

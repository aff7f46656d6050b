import { describe, expect, it } from "vitest";
import { formatDate, formatMoney, formatNumber, formatPercent, intlLocale } from "@/lib/format";

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("locale-aware formatting", () => {
  it("formats numbers by locale", () => {
    expect(formatNumber("en", 1234567)).toBe("1,234,567");
    expect(nbsp(formatNumber("cs", 1234567))).toBe("1 234 567");
    expect(nbsp(formatNumber("ru", 1234.5, 1))).toBe("1 234,5");
  });

  it("formats money with the currency code in each locale", () => {
    expect(nbsp(formatMoney("en", "40000", "GEL"))).toBe("GEL 40,000.00");
    expect(nbsp(formatMoney("cs", "1234.5", "EUR"))).toBe("1 234,50 EUR");
    expect(nbsp(formatMoney("ru", "1234.5", "CZK"))).toBe("1 234,50 CZK");
    expect(nbsp(formatMoney("en", 1_200_000, "EUR", true))).toBe("EUR 1.2M");
  });

  it("falls back for a code Intl does not know", () => {
    expect(formatMoney("en", "5", "not a code")).toBe("5 not a code");
  });

  it("shows calendar dates without a time-zone shift", () => {
    expect(formatDate("en", "2010-01-01")).toBe(intlLocale("en") === "en-US" ? "Jan 1, 2010" : "1 Jan 2010");
    expect(formatDate("cs", "2010-01-01")).toMatch(/1\. 1\. 2010/);
    expect(formatDate("ru", "2010-01-01")).toMatch(/2010/);
    expect(formatDate("en", null)).toBe("—");
  });

  it("formats percentages given as 0–100", () => {
    expect(formatPercent("en", "20.00")).toBe("20%");
  });

  it("writes English dates the British way unless the browser asks for another English", () => {
    expect(intlLocale("en", ["cs-CZ", "en"])).toBe("en-GB");
    expect(intlLocale("en", ["en-GB", "en"])).toBe("en-GB");
    expect(intlLocale("en", ["en-US"])).toBe("en-US");
    expect(intlLocale("cs", ["en-US"])).toBe("cs");
    expect(
      new Intl.DateTimeFormat(intlLocale("en", []), { dateStyle: "medium", timeZone: "UTC" }).format(
        new Date("2010-01-31T00:00:00Z"),
      ),
    ).toBe("31 Jan 2010");
  });
});

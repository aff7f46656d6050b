import { describe, expect, it } from "vitest";
import { parseLocaleNumber } from "@/lib/number-input";

const value = (text: string, language: string) => {
  const parsed = parseLocaleNumber(text, language);
  return parsed.ok ? parsed.value : "invalid";
};

describe("numbers as typed in the user's language", () => {
  it.each([
    ["12,500.50", "en", "12500.50"],
    ["12 500,50", "cs", "12500.50"],
    ["12\u00a0500,50", "ru", "12500.50"],
    ["12500,5", "cs", "12500.5"],
    ["12.500,50", "cs", "12500.50"],
    ["12500.50", "cs", "12500.50"],
    ["12,500", "en", "12500"],
    ["1,234,567.8", "en", "1234567.8"],
    ["-5", "en", "-5"],
    ["0.5", "en", "0.5"],
    [".5", "en", "0.5"],
    ["  40000 ", "en", "40000"],
  ])("%s in %s is %s", (text, language, expected) => {
    expect(value(text, language)).toBe(expected);
  });

  it.each([
    ["12,5", "en"],
    ["12,50,0", "en"],
    ["1.2.3", "en"],
    ["abc", "cs"],
    ["12,500.50.1", "en"],
    ["1,2", "en"],
    ["12e3", "en"],
  ])("refuses %s in %s", (text, language) => {
    expect(value(text, language)).toBe("invalid");
  });

  it("leaves an empty field empty", () => {
    expect(value("   ", "ru")).toBeNull();
  });
});

import { renderHook } from "@testing-library/react";
import { createElement, type ReactNode } from "react";
import { I18nextProvider } from "react-i18next";
import { afterEach, describe, expect, it } from "vitest";
import i18n from "@/i18n/i18n";
import { countryName, currencyName, sortByName, useCodeName } from "@/i18n/names";

afterEach(async () => {
  await i18n.changeLanguage("en");
});

describe("names of coded API data", () => {
  it("names countries and currencies from their ISO codes in the UI language", () => {
    expect(countryName("en", "GE")).toBe("Georgia");
    expect(countryName("ru", "GE")).toBe("Грузия");
    expect(countryName("cs", "MD")).toBe("Moldavsko");
    expect(countryName("cs", "XX", "Somewhere")).toBe("Somewhere"); // unknown code: the API's name
    expect(currencyName("ru", "EUR")).toMatch(/евро/i);
  });

  it("names the registry's own code lists from the translations, falling back to the API's words", async () => {
    const wrapper = ({ children }: { children: ReactNode }) => createElement(I18nextProvider, { i18n }, children);
    await i18n.changeLanguage("ru");
    const { result } = renderHook(() => useCodeName("themes"), { wrapper });
    expect(result.current("border-protection", "Border protection")).toBe("Охрана границ");
    expect(result.current("new-theme", "A theme added later")).toBe("A theme added later");
  });

  it("sorts by the shown names in the language's order", () => {
    const items = [{ n: "Česko" }, { n: "Albánie" }, { n: "Dánsko" }];
    expect(sortByName(items, (i) => i.n).map((i) => i.n)).toEqual(["Albánie", "Česko", "Dánsko"]);
  });
});

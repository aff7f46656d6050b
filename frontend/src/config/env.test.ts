import { describe, expect, it } from "vitest";
import { parseEnv } from "@/config/env";

describe("parseEnv", () => {
  it("defaults to the same origin and English", () => {
    expect(parseEnv({})).toEqual({ apiBase: "", defaultLocale: "en" });
  });

  it("accepts an origin and trims a trailing slash", () => {
    expect(parseEnv({ VITE_API_BASE: "https://registry.example.org/", VITE_DEFAULT_LOCALE: "cs" })).toEqual({
      apiBase: "https://registry.example.org",
      defaultLocale: "cs",
    });
  });

  it("refuses what it cannot use, at start-up", () => {
    expect(() => parseEnv({ VITE_API_BASE: "ftp://x" })).toThrow(/VITE_API_BASE/);
    expect(() => parseEnv({ VITE_DEFAULT_LOCALE: "de" })).toThrow(/VITE_DEFAULT_LOCALE/);
  });
});

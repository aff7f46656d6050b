import { describe, expect, it } from "vitest";
import csAdmin from "@/i18n/locales/admin/cs.json";
import enAdmin from "@/i18n/locales/admin/en.json";
import ruAdmin from "@/i18n/locales/admin/ru.json";
import en from "@/i18n/locales/en.json";

type Tree = { [key: string]: string | Tree };

function keys(tree: Tree, prefix = ""): Set<string> {
  const out = new Set<string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.add(path.replace(/_(zero|one|two|few|many|other)$/, ""));
    else for (const k of keys(value, path)) out.add(k);
  }
  return out;
}

function leaves(tree: Tree): string[] {
  return Object.values(tree).flatMap((v) => (typeof v === "string" ? [v] : leaves(v)));
}

describe("the explorer's and admin screens' translations", () => {
  const base = keys(enAdmin as Tree);
  it.each([
    ["ru", ruAdmin],
    ["cs", csAdmin],
  ])("%s has every English key and no other, each translated", (_, tree) => {
    const other = keys(tree as Tree);
    expect([...base].filter((k) => !other.has(k))).toEqual([]);
    expect([...other].filter((k) => !base.has(k))).toEqual([]);
    // Names and symbols may stay as they are; sentences may not.
    const english = new Set(leaves(enAdmin as Tree).filter((s) => s.split(" ").length > 2));
    expect(leaves(tree as Tree).filter((s) => english.has(s))).toEqual([]);
  });

  it("adds top-level sections of its own (merged beside the main files' without overwriting any)", () => {
    expect(Object.keys(enAdmin).filter((k) => k in en)).toEqual([]);
  });
});

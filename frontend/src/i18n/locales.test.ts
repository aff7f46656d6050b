import { describe, expect, it } from "vitest";
import cs from "@/i18n/locales/cs.json";
import en from "@/i18n/locales/en.json";
import ru from "@/i18n/locales/ru.json";

type Tree = { [key: string]: string | Tree };

/** Leaf keys with plural suffixes folded, so "count_one"/"count_few" all count as "count". */
function keys(tree: Tree, prefix = ""): Set<string> {
  const out = new Set<string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.add(path.replace(/_(zero|one|two|few|many|other)$/, ""));
    else for (const k of keys(value, path)) out.add(k);
  }
  return out;
}

describe("translations", () => {
  const base = keys(en as Tree);
  it.each([
    ["ru", ru],
    ["cs", cs],
  ])("%s has every English key and no other", (_, tree) => {
    const other = keys(tree as Tree);
    expect([...base].filter((k) => !other.has(k))).toEqual([]);
    expect([...other].filter((k) => !base.has(k))).toEqual([]);
  });

  it("has the plural forms Russian and Czech need", () => {
    expect(
      Object.keys(ru.projects)
        .filter((k) => k.startsWith("count_"))
        .sort(),
    ).toEqual(["count_few", "count_many", "count_one", "count_other"]);
    expect(
      Object.keys(cs.projects)
        .filter((k) => k.startsWith("count_"))
        .sort(),
    ).toEqual(["count_few", "count_many", "count_one", "count_other"]);
  });
});

// @vitest-environment node
import { describe, expect, it } from "vitest";
import { BUDGET_BYTES, initialChunks } from "./check-bundle-size.mjs";

describe("initial chunks", () => {
  it("counts the entry and its static imports, not lazy routes", () => {
    const manifest = {
      "index.html": {
        file: "assets/index.js",
        isEntry: true,
        imports: ["_vendor.js"],
        dynamicImports: ["src/Dashboard.tsx"],
        css: ["assets/index.css"],
      },
      "_vendor.js": { file: "assets/vendor.js", imports: ["_shared.js"] },
      "_shared.js": { file: "assets/shared.js" },
      "src/Dashboard.tsx": { file: "assets/Dashboard.js", isDynamicEntry: true, imports: ["_shared.js"] },
    };
    expect(initialChunks(manifest).sort()).toEqual(["assets/index.js", "assets/shared.js", "assets/vendor.js"]);
    expect(BUDGET_BYTES).toBe(250_000);
  });
});

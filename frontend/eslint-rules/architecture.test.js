// @vitest-environment node
import { RuleTester } from "eslint";
import { afterAll, describe, it } from "vitest";
import architecture from "./architecture.js";

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;

const tester = new RuleTester({ languageOptions: { ecmaVersion: 2022, sourceType: "module" } });
const file = (p) => `/repo/frontend/src/${p}`;

tester.run("no-cross-feature-imports", architecture.rules["no-cross-feature-imports"], {
  valid: [
    { code: 'import { x } from "@/lib/format";', filename: file("features/projects/routes/A.tsx") },
    { code: 'import { x } from "@/features/projects/api/project";', filename: file("features/projects/routes/A.tsx") },
    { code: 'import { x } from "../api/project";', filename: file("features/projects/routes/A.tsx") },
    { code: 'import { x } from "@/features/projects/routes/A";', filename: file("app/router.tsx") },
  ],
  invalid: [
    {
      code: 'import { x } from "@/features/dashboard/api/atlas";',
      filename: file("features/projects/routes/A.tsx"),
      errors: [{ messageId: "cross" }],
    },
    {
      code: 'import { x } from "../../dashboard/api/atlas";',
      filename: file("features/projects/routes/A.tsx"),
      errors: [{ messageId: "cross" }],
    },
    {
      code: 'const m = import("@/features/reporting/routes/ReportPage");',
      filename: file("features/projects/routes/A.tsx"),
      errors: [{ messageId: "cross" }],
    },
  ],
});

tester.run("no-barrel-files", architecture.rules["no-barrel-files"], {
  valid: [{ code: "export const a = 1;", filename: file("lib/format.ts") }],
  invalid: [
    { code: "export const a = 1;", filename: file("lib/index.ts"), errors: [{ messageId: "index" }] },
    { code: 'export * from "./format";', filename: file("lib/all.ts"), errors: [{ messageId: "star" }] },
  ],
});

import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";
import architecture from "./eslint-rules/architecture.js";

export default tseslint.config(
  { ignores: ["dist", "node_modules", "screenshots", "src/api/generated"] },
  {
    files: ["**/*.{ts,tsx}"],
    extends: [js.configs.recommended, ...tseslint.configs.strict],
    languageOptions: { ecmaVersion: 2022, globals: { ...globals.browser } },
    plugins: { "react-hooks": reactHooks, architecture },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "architecture/no-cross-feature-imports": "error",
      "architecture/no-barrel-files": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "no-restricted-globals": [
        "error",
        { name: "localStorage", message: "Use src/lib/preferences.ts (never for tokens)." },
      ],
    },
  },
  {
    files: ["src/lib/preferences.ts"],
    rules: { "no-restricted-globals": "off" },
  },
  {
    files: ["scripts/**/*.{js,mjs}", "eslint-rules/**/*.js", "eslint.config.js"],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ["e2e/**/*.ts", "*.config.ts"],
    languageOptions: { globals: { ...globals.node } },
    rules: { "no-restricted-globals": "off" },
  },
);

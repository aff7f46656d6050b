// Times the SPA's dashboard in Debian's headless Chromium (playwright-core from frontend/node_modules), from
// navigation to the first country drawn on the funding map, as the e2e suite does. Prints one JSON line.
// Usage: node bench/frontend_probe.mjs BASE_URL [RUNS]
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(resolve(here, "..", "frontend", "package.json"));
const { chromium } = require("playwright-core");

const [base, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 5);
const profile = mkdtempSync(join(tmpdir(), "bench-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1280, height: 900 },
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const times = [];
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(30_000);
  for (let i = 0; i < runs; i += 1) {
    const started = Date.now();
    await page.goto(`${base}/`);
    await page.getByTestId("funding-map").locator("path.programme").first().waitFor();
    times.push(Date.now() - started);
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(`BENCH_RESULT ${JSON.stringify({ ms: times })}`);

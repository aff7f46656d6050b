#!/usr/bin/env node
// Fails the build when the JavaScript a first visit loads (the entry chunk and every chunk it imports
// statically, not the lazily loaded routes) exceeds the budget, gzipped.
import { readFileSync, existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const BUDGET_BYTES = 250_000; // 250 KB gzipped

export function initialChunks(manifest) {
  const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry);
  if (entries.length === 0) throw new Error("the build manifest has no entry chunk");
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of manifest[key]?.imports ?? []) visit(imported);
  };
  for (const [key] of entries) visit(key);
  return [...seen].map((key) => manifest[key].file).filter((file) => file.endsWith(".js"));
}

function main() {
  const dist = resolve(dirname(fileURLToPath(import.meta.url)), "..", "dist");
  const manifestPath = join(dist, ".vite", "manifest.json");
  if (!existsSync(manifestPath)) {
    console.error(`No build manifest at ${manifestPath}: run \`npm run build\` first.`);
    process.exit(1);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  let total = 0;
  for (const file of initialChunks(manifest)) {
    const size = gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
    total += size;
    console.log(`  ${file}  ${(size / 1000).toFixed(1)} KB gzipped`);
  }
  const verdict = total <= BUDGET_BYTES ? "within" : "OVER";
  console.log(
    `Initial JavaScript: ${(total / 1000).toFixed(1)} KB gzipped, ${verdict} the ${BUDGET_BYTES / 1000} KB budget.`,
  );
  if (total > BUDGET_BYTES) process.exit(1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();

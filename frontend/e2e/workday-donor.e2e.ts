// A donor desk officer's question on one screen, by keyboard: "how much did the Czech Ministry of the Interior fund
// in Bosnia and Herzegovina since 2004?" (EUR 250,000 on the demo data), the answer downloaded as CSV and XLSX (the
// files' figures checked), the view shared by its link, the dashboard with the same filters, in Russian and Czech, on
// a tablet.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { choose, press, signInByKeyboard, tabTo, typeInto } from "./keyboard";
import { BASE, openBrowser, screenshot, seriousViolations, settled, type Browser } from "./support";

const MINISTRY = "Ministry of the Interior of the Czech Republic (OAMP)";
const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const flat = (text: string | null) => (text ?? "").replace(/[\u00a0\u202f]/g, " ");

/** The cells of an XLSX sheet, read by openpyxl in the repository's Python environment (not by the SPA's code). */
function xlsxRows(path: string, sheet: string): unknown[][] {
  const python = process.env.MCB_PYTHON ?? join(repo, ".venv", "bin", "python");
  const code = [
    "import json, sys",
    "from decimal import Decimal",
    "from openpyxl import load_workbook",
    "rows = load_workbook(sys.argv[1], read_only=True)[sys.argv[2]].iter_rows(values_only=True)",
    "print(json.dumps([[str(c) if isinstance(c, Decimal) else c for c in r] for r in rows]))",
  ].join("\n");
  return JSON.parse(execFileSync(python, ["-c", code, path, sheet], { encoding: "utf8" })) as unknown[][];
}

describe("a donor desk officer", () => {
  let donor: Browser;
  let shared = "";
  beforeAll(async () => {
    donor = await openBrowser();
    await signInByKeyboard(donor.page, "donor@demo.mcb", "demo-donor-pass");
  });
  afterAll(async () => {
    await donor.close();
  });

  it("answers how much the Czech Ministry of the Interior funded in BiH since 2004 on one screen, by keyboard", async () => {
    const { page } = donor;
    await press(page, page.getByRole("link", { name: "Funding", exact: true }));
    await page.getByRole("heading", { name: "Funding", level: 1 }).waitFor();
    await settled(page);
    await typeInto(page, page.getByLabel("Find a funder"), "interior");
    await press(page, page.getByRole("button", { name: `Add ${MINISTRY}` }));
    await page.getByRole("list", { name: "Chosen funders" }).getByText(MINISTRY, { exact: true }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute("type"))).toBe("search"); // focus kept
    await choose(page, page.getByLabel("Recipient country"), "BA"); // a native select: type-ahead and arrow keys
    await typeInto(page, page.getByLabel("From year"), "2004");
    await page.waitForURL(/year_from=2004/);
    await expect.poll(async () => flat(await page.getByTestId("explorer-total").textContent())).toBe("EUR 250,000.00");
    const question = flat(await page.getByTestId("explorer-question").textContent());
    expect(question).toContain(MINISTRY);
    expect(question).toMatch(/Bosnia (and|&) Herzegovina/); // the browser's own name for BA
    expect(question).toContain("2004 onwards");
    // The table follows the last keystroke's answer (a year typed digit by digit asks for 2, 20, 200, then 2004).
    const row = page.getByTestId("explorer-table").locator("tbody tr");
    await expect.poll(() => row.count()).toBe(1);
    expect(flat(await row.textContent())).toContain(`${MINISTRY}EUR 250,000.00`);
    expect(flat(await page.getByTestId("explorer-table-total").textContent())).toBe("EUR 250,000.00");
    await page.locator(".recharts-bar-rectangle").first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "funding-explorer-donor");
    shared = page.url();
    expect(shared).toMatch(/funder=[0-9a-f-]{36}/);
    expect(shared).toContain("country=BA");
  });

  it("downloads the answer as CSV and XLSX holding the figures on the screen", async () => {
    const { page } = donor;
    await tabTo(page, page.getByRole("button", { name: "Download CSV" }));
    const [csvDownload] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
    expect(csvDownload.suggestedFilename()).toBe("funding-summary.csv");
    const lines = readFileSync(await csvDownload.path(), "utf8")
      .replace(/^\uFEFF/, "")
      .trim()
      .split(/\r\n/);
    expect(lines[0]).toBe("funder,funder_id,eur_amount,transactions");
    expect(lines[1]).toMatch(new RegExp(`^${MINISTRY.replace(/[()]/g, "\\$&")},[0-9a-f-]{36},250000\\.00,6$`));
    expect(lines[2]).toBe("Total,,250000.00,6");
    expect(lines).toHaveLength(3);

    await tabTo(page, page.getByRole("button", { name: "Download XLSX" }));
    const [xlsxDownload] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
    expect(xlsxDownload.suggestedFilename()).toBe("funding-summary.xlsx");
    // Saved under its own name: openpyxl reads a workbook only by its extension.
    const saved = join(mkdtempSync(join(tmpdir(), "mcb-donor-")), xlsxDownload.suggestedFilename());
    await xlsxDownload.saveAs(saved);
    const rows = xlsxRows(saved, "summary");
    expect(rows[0]).toEqual(["funder", "funder_id", "eur_amount", "transactions"]);
    expect(rows[1]?.[0]).toBe(MINISTRY);
    expect(Number(rows[1]?.[2])).toBe(250000);
    expect(rows[2]).toEqual(["Total", null, 250000, 6]);
    const about = Object.fromEntries(xlsxRows(saved, "about") as [string, string][]);
    expect(about.country).toBe("BA");
    expect(about.year_from).toBe("2004");
  });

  it("shares the view by its link: the same answer opens for someone not signed in, and on a tablet", async () => {
    const anonymous = await openBrowser({ width: 768, height: 1024 });
    try {
      const { page } = anonymous;
      await page.goto(shared);
      await expect
        .poll(async () => flat(await page.getByTestId("explorer-total").textContent()))
        .toBe("EUR 250,000.00");
      await page.getByRole("list", { name: "Chosen funders" }).getByText(MINISTRY, { exact: true }).waitFor();
      await settled(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, "funding-explorer-tablet");
    } finally {
      await anonymous.close();
    }
  });

  it("sees the dashboard with the same filters", async () => {
    const { page } = donor;
    const filters = new URL(shared).search;
    await page.goto(`${BASE}/${filters}`);
    await expect.poll(async () => flat(await page.getByTestId("stat-eur").textContent())).toMatch(/^EUR 250(K|,000)/);
    await expect.poll(() => page.getByRole("list", { name: "Chosen funders" }).textContent()).toContain(MINISTRY);
    expect(await page.getByLabel("Recipient country").inputValue()).toBe("BA");
    await settled(page);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "dashboard-filtered");
  });

  it("reads the explorer in Russian and Czech", async () => {
    const { page } = donor;
    await page.goto(shared);
    await settled(page);
    await choose(page, page.getByLabel("Language", { exact: true }), "ru");
    await page.getByRole("heading", { name: "Финансирование", level: 1 }).waitFor();
    expect(await page.getByRole("button", { name: "Скачать CSV" }).isVisible()).toBe(true);
    expect(flat(await page.getByTestId("explorer-total").textContent())).toMatch(/250 000,00\s?(EUR|€)/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "funding-explorer-ru");
    await choose(page, page.getByLabel("Язык", { exact: true }), "cs");
    await page.getByRole("heading", { name: "Financování", level: 1 }).waitFor();
    expect(flat(await page.getByTestId("explorer-total").textContent())).toMatch(/250 000,00\s?(EUR|€)/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "funding-explorer-cs");
    await choose(page, page.getByLabel("Jazyk", { exact: true }), "en");
  });
});

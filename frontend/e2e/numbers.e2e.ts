// The pages that show totals show the API's numbers for the same question (issue 10): the dashboard's EUR total and
// its map table, a country page's total and years, and an export of values against the indicator's time series.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, openBrowser, settled, signIn, type Browser } from "./support";

interface Row {
  country?: { code: string; name: string } | null;
  year?: number | null;
  eur_amount: string | null;
  not_converted: { currency: string; amount: string }[];
}
interface Summary {
  rows: Row[];
  total: Row;
}

async function api<T>(path: string, token?: string): Promise<T> {
  const response = await fetch(`${BASE}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

/** As the pages write money (lib/format's formatMoney, en-GB), spaces normalised; `whole`: to the euro (headlines). */
function eur(amount: string | number, whole = false): string {
  const text = new Intl.NumberFormat("en-GB", {
    style: "currency", currency: "EUR", currencyDisplay: "code", maximumFractionDigits: whole ? 0 : 2,
    minimumFractionDigits: whole ? 0 : 2,
  }).format(Number(amount)); // prettier-ignore
  return squash(text);
}

/** One CSV line's cells (quoted cells may hold commas and doubled quotes). */
function cellsOf(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      cell += '"';
      i += 1;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === "," && !quoted) {
      cells.push(cell);
      cell = "";
    } else {
      cell += c;
    }
  }
  cells.push(cell);
  return cells;
}

function squash(text: string | null): string {
  return (text ?? "").replace(/\s+/g, " ").trim();
}

describe("totals in the pages are the API's", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  it("dashboard: the EUR total and each converted country of the map table", async () => {
    const { page } = browser;
    const summary = await api<Summary>("/api/projects/v1/funding/summary?group_by=country");
    // The rows add up to the total to the cent (the rule the README states).
    const cents = summary.rows.reduce((sum, r) => sum + Math.round(Number(r.eur_amount ?? 0) * 100), 0);
    expect(cents).toBe(Math.round(Number(summary.total.eur_amount) * 100));
    await page.goto(`${BASE}/`);
    await settled(page);
    // The headline is whole euros (issue 14: a compact "EUR 1.2M" would not move when an entry is added).
    const stat = squash(await page.getByTestId("stat-eur").textContent()).toLowerCase();
    expect(stat).toContain(eur(summary.total.eur_amount ?? 0, true).toLowerCase());
    for (const missing of summary.total.not_converted) expect(stat).toContain(missing.currency.toLowerCase());
    await page.getByText("The map's numbers as a table").click();
    const converted = summary.rows.filter((r) => r.country && r.eur_amount !== null && Number(r.eur_amount) > 0);
    expect(converted.length).toBeGreaterThan(0);
    for (const row of converted) {
      const cells = page
        .locator("tr", { has: page.locator(`a[href="/countries/${row.country?.code ?? ""}"]`) })
        .first();
      expect(squash(await cells.textContent())).toContain(eur(row.eur_amount ?? 0));
    }
  });

  it("country pages: the total and every year, unconverted money without a EUR figure", async () => {
    const { page } = browser;
    for (const code of ["BA", "GE", "MD"]) {
      const summary = await api<Summary>(`/api/projects/v1/funding/summary?country=${code}&group_by=year`);
      await page.goto(`${BASE}/countries/${code}`);
      await settled(page);
      const body = squash(await page.locator("body").textContent());
      const total = summary.total;
      if (total.eur_amount === null) {
        expect(body).toContain("not converted (no EUR value)");
      } else {
        expect(body).toContain(eur(total.eur_amount));
      }
      for (const missing of total.not_converted) expect(body).toContain(missing.currency);
      for (const row of summary.rows) {
        const line = squash(
          await page
            .getByRole("row", { name: new RegExp(`^${row.year ?? "—"}\\b`) })
            .first()
            .textContent(),
        );
        if (row.eur_amount === null) {
          expect(line, `${code} ${row.year}`).not.toContain("EUR 0.00");
          expect(line).toContain("not converted");
        } else {
          expect(line, `${code} ${row.year}`).toContain(eur(row.eur_amount));
        }
      }
    }
  });

  it("exports: the approved totals of an indicator add up to its time series", async () => {
    const { page } = browser;
    await signIn(page, "manager@demo.mcb", "demo-manager-pass");
    const token = (await (
      await fetch(`${BASE}/api/projects/v1/auth/token`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "password",
          username: "manager@demo.mcb",
          password: "demo-manager-pass",
        }),
      })
    ).json()) as { access_token: string };
    const series = await api<{ points: { value: string }[]; unplaced_values: number }>(
      "/api/reporting/v1/aggregations/time-series?indicator=officials-trained&period_type=year",
      token.access_token,
    );
    expect(series.unplaced_values).toBe(0);
    const expected = series.points.reduce((sum, p) => sum + Number(p.value), 0);
    await page.goto(`${BASE}/reporting`);
    await settled(page);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download CSV" }).click(),
    ]);
    const lines = readFileSync(await download.path(), "utf8")
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\n");
    const header = cellsOf(lines[0] ?? "");
    const at = (name: string) => header.indexOf(name);
    const totals = lines
      .slice(1)
      .map(cellsOf)
      .filter(
        (cells) =>
          cells[at("indicator")] === "officials-trained" &&
          cells[at("disaggregation")] === "" &&
          cells[at("status")] === "approved",
      );
    expect(totals.length).toBeGreaterThan(0);
    expect(totals.reduce((sum, cells) => sum + Number(cells[at("value")]), 0)).toBeCloseTo(expected, 4);
  });
});

// A day's work in the browser only: an admin adds an indicator to the catalogue, creates a project with a sector and a
// location picked on the map, sets up its results framework (baseline, targets per period and per disaggregation
// value) so it can be reported on, adds a GEL rate (typed and as a CSV file), a user, an API client and a ministry's
// department; then a manager records a GEL transaction and sees it converted, on the project and on the funding
// explorer. Keyboard only (e2e/keyboard.ts: Tab to each control, then its keys); every new page is checked with axe and
// written as a screenshot.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { choose, chooseFile, press, signInByKeyboard, tabTo, tick, typeDate, typeInto } from "./keyboard";
import { BASE, openBrowser, screenshot, seriousViolations, settled, type Browser } from "./support";

const RUN = Date.now().toString(36).toUpperCase();
const INDICATOR = `Border officers trained (E2E ${RUN})`;
const PROJECT = `E2E border management in Georgia ${RUN}`;
const RESULT = "Border officers trained in document inspection";
const flat = (text: string | null) => (text ?? "").replace(/[\u00a0\u202f]/g, " ");

async function axeClean(page: Page, name: string): Promise<void> {
  await settled(page);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, name);
}

async function chooseOption(page: Page, label: string, text: string, nth = 0): Promise<void> {
  await choose(page, page.getByLabel(label, { exact: true }).nth(nth), text);
}

describe("an admin's day, then a manager's", () => {
  let admin: Browser;
  beforeAll(async () => {
    admin = await openBrowser();
    await signInByKeyboard(admin.page, "admin@demo.mcb", "demo-admin-pass");
  });
  afterAll(async () => {
    await admin.close();
  });

  it("opens the administration and adds an indicator with a sex disaggregation to the catalogue", async () => {
    const { page } = admin;
    await press(page, page.getByRole("link", { name: "Administration" }));
    await page.getByRole("heading", { name: "Administration" }).waitFor();
    await axeClean(page, "admin-home");
    await press(page, page.getByRole("link", { name: /Indicator catalogue/ }));
    await press(page, page.getByRole("link", { name: "New indicator" }));
    await typeInto(page, page.getByLabel("Code", { exact: true }), `e2e-border-officers-${RUN.toLowerCase()}`);
    await typeInto(page, page.getByLabel("Name", { exact: true }), INDICATOR);
    await typeInto(page, page.getByLabel("Unit"), "persons");
    await press(page, page.getByRole("button", { name: "Add a disaggregation" }));
    await typeInto(page, page.getByLabel("Code", { exact: true }).nth(1), "sex");
    await typeInto(page, page.getByLabel("Name", { exact: true }).nth(1), "Sex");
    await typeInto(page, page.getByLabel("Value code").nth(0), "f");
    await typeInto(page, page.getByLabel("Value name").nth(0), "Female");
    await press(page, page.getByRole("button", { name: "Add a value to Sex" }));
    await typeInto(page, page.getByLabel("Value code").nth(1), "m");
    await typeInto(page, page.getByLabel("Value name").nth(1), "Male");
    await axeClean(page, "admin-indicator-form");
    await press(page, page.getByRole("button", { name: "Save" }));
    await page.getByRole("heading", { name: "Indicator catalogue" }).waitFor();
    await typeInto(page, page.getByRole("searchbox", { name: "Search code or name" }), RUN);
    await page.keyboard.press("Enter");
    await page.getByRole("link", { name: INDICATOR }).waitFor();
    await axeClean(page, "admin-indicators");
  });

  it("creates a project with a DAC sector and a location picked on the offline map", async () => {
    const { page } = admin;
    await page.goto(`${BASE}/projects/new`);
    await typeInto(page, page.getByLabel("Code", { exact: true }), `XM-DAC-47066-GE-E2E-${RUN}`);
    await typeInto(page, page.getByLabel("Title", { exact: true }), PROJECT);
    await choose(page, page.getByLabel("Country", { exact: true }), "GE");
    await typeDate(page, page.getByLabel("Planned start"), "2024-01-01");
    await typeDate(page, page.getByLabel("Planned end"), "2026-12-31");
    expect(await page.getByLabel("Planned end").inputValue()).toBe("2026-12-31");
    await tick(page, page.getByLabel("Public (shown to everyone and published to IATI)")); // publication is a choice
    await tick(page, page.getByLabel("Border protection"));
    await press(page, page.getByRole("button", { name: "Add partner" }));
    await chooseOption(page, "Organisation", "Government of Georgia", 0);
    await choose(page, page.getByLabel("Organisation role").nth(0), "funding");
    await press(page, page.getByRole("button", { name: "Add partner" }));
    await chooseOption(page, "Organisation", "IOM Prague", 1);
    await choose(page, page.getByLabel("Organisation role").nth(1), "implementing");
    await press(page, page.getByRole("button", { name: "Add a sector" }));
    await choose(page, page.getByLabel("Sector", { exact: true }), "15190");
    expect(await page.getByLabel("Sector share (%)").inputValue()).toBe("100");

    await press(page, page.getByRole("button", { name: "Add a location" }));
    await typeInto(page, page.getByLabel("Place", { exact: true }), "Batumi");
    await typeInto(page, page.getByLabel("Region or district"), "Adjara");
    expect(await page.getByLabel("Country of the place").inputValue()).toBe("GE");
    await press(page, page.getByRole("button", { name: "Pick Batumi on the map" }));
    const map = page.getByTestId("point-picker");
    await tabTo(page, map);
    await page.keyboard.press("Enter"); // Enter puts the point in the middle of Georgia
    await expect.poll(() => page.getByLabel("Latitude").inputValue()).toMatch(/^4[1-3]\.\d+/);
    expect(await page.getByLabel("Longitude").inputValue()).toMatch(/^4[0-6]\.\d+/);
    // The arrow keys move the point: two steps west.
    const before = Number(await page.getByLabel("Longitude").inputValue());
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    await expect.poll(async () => Number(await page.getByLabel("Longitude").inputValue())).toBeCloseTo(before - 0.1, 4);
    await axeClean(page, "project-form-sectors-locations");
    await press(page, page.getByRole("button", { name: "Save" }));
    await page.getByRole("heading", { name: PROJECT }).waitFor();
    await page.getByTestId("project-map").locator("text", { hasText: "Batumi" }).waitFor();
    expect(flat(await page.locator("#overview").textContent())).toContain("responsible migration");
    await axeClean(page, "project-map");
  });

  it("sets up the project's results framework so it can be reported on", async () => {
    const { page } = admin;
    await press(page, page.getByRole("link", { name: "Set up the results framework" }));
    await page.getByRole("heading", { name: "Results framework" }).waitFor();
    const newResult = page.getByRole("form", { name: "Add a result" });
    await typeInto(page, newResult.getByLabel("Result"), RESULT);
    await press(page, newResult.getByRole("button", { name: "Save" }));
    await page.getByRole("heading", { name: new RegExp(RESULT) }).waitFor();
    await press(page, page.getByRole("button", { name: `Add an indicator to “${RESULT}”` }));
    const editor = page.getByRole("form", { name: "Add an indicator" });
    await chooseOption(page, "Indicator from the catalogue", INDICATOR);
    await typeInto(page, editor.getByLabel("Baseline", { exact: true }), "0");
    await typeDate(page, editor.getByLabel("Baseline date"), "2024-01-01");
    await typeInto(page, editor.getByLabel("Target", { exact: true }).nth(0), "120");
    await press(page, editor.getByRole("button", { name: "Add a target" }));
    await typeInto(page, editor.getByLabel("Period").nth(1), "2025");
    await choose(page, editor.getByLabel("For", { exact: true }).nth(1), "Sex: Female");
    await typeInto(page, editor.getByLabel("Target", { exact: true }).nth(1), "30");
    await press(page, editor.getByRole("button", { name: "Add a target" }));
    await typeInto(page, editor.getByLabel("Period").nth(2), "2025");
    await choose(page, editor.getByLabel("For", { exact: true }).nth(2), "Sex: Male");
    await typeInto(page, editor.getByLabel("Target", { exact: true }).nth(2), "30,5");
    await axeClean(page, "framework-indicator-editor");
    await press(page, editor.getByRole("button", { name: "Save" }));
    const indicator = page.getByTestId("framework-indicator");
    await indicator.waitFor();
    const rows = flat(await indicator.locator("tbody").textContent());
    expect(rows).toContain("Whole project");
    expect(rows).toContain("Sex: Female");
    expect(rows).toContain("30.5");
    expect(await indicator.locator("tbody tr").count()).toBe(3);
    await axeClean(page, "framework-editor");
    // On a tablet the editor fits the screen: nothing to scroll sideways.
    await page.setViewportSize({ width: 768, height: 1024 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, "framework-editor-tablet");
    await page.setViewportSize({ width: 1280, height: 900 });

    // Reportable: a report for a quarter asks for the new indicator, with its disaggregation.
    await press(page, page.getByRole("link", { name: `Back to ${PROJECT}` }));
    await typeInto(page, page.getByLabel("Period of the new report"), "2025Q1");
    await press(page, page.getByRole("button", { name: "Start a report" }));
    await page.getByRole("heading", { name: "Report for 2025Q1" }).waitFor();
    await page.getByText(INDICATOR).first().waitFor();
  });

  it("adds GEL rates, typed and as a CSV file, and sees them listed", async () => {
    const { page } = admin;
    await page.goto(`${BASE}/admin`);
    await press(page, page.getByRole("link", { name: /Exchange rates/ }));
    const form = page.getByRole("form", { name: "Add a rate" });
    await choose(page, form.getByLabel("Currency"), "GEL");
    await typeDate(page, form.getByLabel("Rate date"), "2024-03-01");
    await typeInto(page, form.getByLabel("Units per EUR"), "2,8780");
    await typeInto(page, form.getByLabel("Source"), "National Bank of Georgia (E2E)");
    await press(page, form.getByRole("button", { name: "Save the rate" }));
    await expect.poll(() => page.getByTestId("rates-outcome").first().textContent()).toContain("1 rate saved.");
    const csv = "currency,rate_date,units_per_eur,source\nGEL,2024-06-03,2.9900,National Bank of Georgia (E2E file)\n";
    // The file input opens the browser's file chooser on Space, as it does for a keyboard user.
    await chooseFile(page, page.getByLabel("CSV file"), {
      name: "rates.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(csv),
    });
    await press(page, page.getByRole("button", { name: "Upload", exact: true }));
    await expect.poll(() => page.getByTestId("rates-outcome").last().textContent()).toContain("1 rate saved.");
    await choose(page, page.getByLabel("Currency", { exact: true }).last(), "GEL");
    await page
      .getByTestId("rates")
      .getByRole("row", { name: /National Bank of Georgia \(E2E file\)/ })
      .waitFor();
    await axeClean(page, "admin-exchange-rates");
  });

  it("adds a donor desk officer with a scoped grant and registers an API client", async () => {
    const { page } = admin;
    await page.goto(`${BASE}/admin/users`);
    await axeClean(page, "admin-users");
    await press(page, page.getByRole("link", { name: "New user" }));
    await typeInto(page, page.getByLabel("E-mail", { exact: true }), `desk-${RUN.toLowerCase()}@example.org`);
    await typeInto(page, page.getByLabel("Name", { exact: true }), `Desk Officer ${RUN}`);
    await typeInto(page, page.getByLabel("Password"), "a long enough passphrase");
    await press(page, page.getByRole("button", { name: "Add a grant" }));
    await choose(page, page.getByLabel("Where"), "organisation");
    await chooseOption(page, "Organisation", "Ministry of the Interior of the Czech Republic", 1);
    await axeClean(page, "admin-user-form");
    await press(page, page.getByRole("button", { name: "Save" }));
    const row = page.getByTestId("users").getByRole("row", { name: new RegExp(`Desk Officer ${RUN}`) });
    await row.waitFor();
    expect(flat(await row.textContent())).toContain("Viewer · for MoI CZ");

    await page.goto(`${BASE}/admin/api-clients`);
    await typeInto(page, page.getByLabel("Name", { exact: true }), `E2E statistics system ${RUN}`);
    await press(page, page.getByRole("button", { name: "Register" }));
    const secret = page.getByTestId("client-secret");
    await secret.waitFor();
    expect(flat(await secret.textContent())).toMatch(/client_secret\S{20,}/);
    await axeClean(page, "admin-api-clients");
    await press(page, page.getByRole("button", { name: "I have copied it" }));
    await page
      .getByTestId("api-clients")
      .getByRole("row", { name: new RegExp(`E2E statistics system ${RUN}`) })
      .waitFor();
  });

  it("adds an organisation, then moves it below a ministry as its department", async () => {
    const { page } = admin;
    await page.goto(`${BASE}/organisations`);
    await press(page, page.getByRole("link", { name: "New organisation" }));
    await typeInto(page, page.getByLabel("Name", { exact: true }), `E2E Migration Service ${RUN}`);
    await typeInto(page, page.getByLabel("Acronym"), `E2E-MS-${RUN}`);
    await choose(page, page.getByLabel("Country", { exact: true }), "GE");
    await axeClean(page, "organisation-form");
    await press(page, page.getByRole("button", { name: "Save" }));
    await page.getByRole("heading", { name: new RegExp(`E2E Migration Service ${RUN}`) }).waitFor();
    await press(page, page.getByRole("link", { name: "Change or move" }));
    await chooseOption(page, "Part of (choose another to move it)", "Government of Georgia");
    await tick(page, page.getByLabel("A department of the organisation it belongs to"));
    await press(page, page.getByRole("button", { name: "Save" }));
    await page.getByRole("link", { name: "Parent organisation" }).waitFor();
    expect(flat(await page.locator(".facts").first().textContent())).toContain(
      "counted and named under the organisation it belongs to",
    );
    await axeClean(page, "organisation-department");
  });

  it("a manager records a GEL transaction and sees it converted, with its rate, date and source, and on the explorer", async () => {
    const manager = await openBrowser();
    try {
      const { page } = manager;
      await signInByKeyboard(page, "manager@demo.mcb", "demo-manager-pass");
      await page.goto(`${BASE}/projects?q=${encodeURIComponent(RUN)}`);
      await press(page, page.getByRole("link", { name: PROJECT }));
      await press(page, page.getByRole("button", { name: "Add transaction" }));
      const form = page.getByRole("form", { name: "Add transaction" });
      await choose(page, form.getByLabel("Type"), "disbursement");
      await typeDate(page, form.getByLabel("Date"), "2024-03-15");
      await typeInto(page, form.getByLabel("Amount"), "10000");
      await choose(page, form.getByLabel("Currency"), "GEL");
      await choose(page, form.getByLabel("Provider"), "Government of Georgia");
      await press(page, form.getByRole("button", { name: "Save" }));
      const row = page.getByTestId("transactions").getByRole("row", { name: /GEL/ });
      await row.waitFor();
      const text = flat(await row.textContent());
      expect(text).toContain("GEL 10,000.00");
      expect(text).toContain("EUR 3,474.64"); // 10,000 / 2.878
      expect(text).toMatch(/Rate 2\.878 of (1 Mar 2024|Mar 1, 2024) \(National Bank of Georgia \(E2E\)\)/);

      await press(page, page.getByRole("link", { name: "Funding", exact: true }));
      await page.getByRole("heading", { name: "Funding", level: 1 }).waitFor();
      await typeInto(page, page.getByLabel("Find a funder"), "government georgia");
      await press(page, page.getByRole("button", { name: "Add Government of Georgia" }));
      await choose(page, page.getByLabel("Recipient country"), "GE");
      await typeInto(page, page.getByLabel("From year"), "2024");
      await page.waitForURL(/year_from=2024/);
      await expect.poll(async () => flat(await page.getByTestId("explorer-total").textContent())).toBe("EUR 3,474.64");
      const tableRow = page.getByTestId("explorer-table").getByRole("row", { name: /Government of Georgia/ });
      expect(flat(await tableRow.textContent())).toContain("EUR 3,474.64");
      await axeClean(page, "funding-explorer-manager");
    } finally {
      await manager.close();
    }
  });
});

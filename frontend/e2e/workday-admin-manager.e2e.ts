// A day's work in the browser only: an admin adds an indicator to the catalogue, creates a project with a sector and a
// location picked on the map, sets up its results framework (baseline, targets per period and per disaggregation
// value) so it can be reported on, adds a GEL rate (typed and as a CSV file), a user, an API client and a ministry's
// department; then a manager records a GEL transaction and sees it converted, on the project and on the funding
// explorer. Every new page is checked with axe and written as a screenshot.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, openBrowser, screenshot, seriousViolations, settled, signIn, type Browser } from "./support";

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
  const select = page.getByLabel(label, { exact: true }).nth(nth);
  const value = await select.locator("option", { hasText: text }).first().getAttribute("value");
  await select.selectOption(value ?? "");
}

describe("an admin's day, then a manager's", () => {
  let admin: Browser;
  beforeAll(async () => {
    admin = await openBrowser();
    await signIn(admin.page, "admin@demo.mcb", "demo-admin-pass");
  });
  afterAll(async () => {
    await admin.close();
  });

  it("opens the administration and adds an indicator with a sex disaggregation to the catalogue", async () => {
    const { page } = admin;
    await page.getByRole("link", { name: "Administration" }).click();
    await page.getByRole("heading", { name: "Administration" }).waitFor();
    await axeClean(page, "admin-home");
    await page.getByRole("link", { name: /Indicator catalogue/ }).click();
    await page.getByRole("link", { name: "New indicator" }).click();
    await page.getByLabel("Code", { exact: true }).fill(`e2e-border-officers-${RUN.toLowerCase()}`);
    await page.getByLabel("Name", { exact: true }).fill(INDICATOR);
    await page.getByLabel("Unit").fill("persons");
    await page.getByRole("button", { name: "Add a disaggregation" }).click();
    await page.getByLabel("Code", { exact: true }).nth(1).fill("sex");
    await page.getByLabel("Name", { exact: true }).nth(1).fill("Sex");
    await page.getByLabel("Value code").nth(0).fill("f");
    await page.getByLabel("Value name").nth(0).fill("Female");
    await page.getByRole("button", { name: "Add a value to Sex" }).click();
    await page.getByLabel("Value code").nth(1).fill("m");
    await page.getByLabel("Value name").nth(1).fill("Male");
    await axeClean(page, "admin-indicator-form");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { name: "Indicator catalogue" }).waitFor();
    await page.getByRole("searchbox", { name: "Search code or name" }).fill(RUN);
    await page.getByRole("button", { name: "Apply" }).click();
    await page.getByRole("link", { name: INDICATOR }).waitFor();
    await axeClean(page, "admin-indicators");
  });

  it("creates a project with a DAC sector and a location picked on the offline map", async () => {
    const { page } = admin;
    await page.goto(`${BASE}/projects/new`);
    await page.getByLabel("Code", { exact: true }).fill(`XM-DAC-47066-GE-E2E-${RUN}`);
    await page.getByLabel("Title", { exact: true }).fill(PROJECT);
    await page.getByLabel("Country", { exact: true }).selectOption("GE");
    await page.getByLabel("Planned start").fill("2024-01-01");
    await page.getByLabel("Planned end").fill("2026-12-31");
    await page.getByLabel("Public (shown to everyone and published to IATI)").check(); // publication is a choice
    await page.getByLabel("Border protection").check();
    await page.getByRole("button", { name: "Add partner" }).click();
    await chooseOption(page, "Organisation", "Government of Georgia", 0);
    await page.getByLabel("Organisation role").nth(0).selectOption("funding");
    await page.getByRole("button", { name: "Add partner" }).click();
    await chooseOption(page, "Organisation", "IOM Prague", 1);
    await page.getByLabel("Organisation role").nth(1).selectOption("implementing");
    await page.getByRole("button", { name: "Add a sector" }).click();
    await page.getByLabel("Sector", { exact: true }).selectOption("15190");
    expect(await page.getByLabel("Sector share (%)").inputValue()).toBe("100");

    await page.getByRole("button", { name: "Add a location" }).click();
    await page.getByLabel("Place", { exact: true }).fill("Batumi");
    await page.getByLabel("Region or district").fill("Adjara");
    expect(await page.getByLabel("Country of the place").inputValue()).toBe("GE");
    await page.getByRole("button", { name: "Pick Batumi on the map" }).click();
    const map = page.getByTestId("point-picker");
    await map.waitFor();
    await map.click(); // the middle of the map: the middle of Georgia
    await expect.poll(() => page.getByLabel("Latitude").inputValue()).toMatch(/^4[1-3]\.\d+/);
    expect(await page.getByLabel("Longitude").inputValue()).toMatch(/^4[0-6]\.\d+/);
    // The keyboard moves the point too: two steps west.
    const before = Number(await page.getByLabel("Longitude").inputValue());
    await map.focus();
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    await expect.poll(async () => Number(await page.getByLabel("Longitude").inputValue())).toBeCloseTo(before - 0.1, 4);
    await axeClean(page, "project-form-sectors-locations");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { name: PROJECT }).waitFor();
    await page.getByTestId("project-map").locator("text", { hasText: "Batumi" }).waitFor();
    expect(flat(await page.locator("#overview").textContent())).toContain("responsible migration");
    await axeClean(page, "project-map");
  });

  it("sets up the project's results framework so it can be reported on", async () => {
    const { page } = admin;
    await page.getByRole("link", { name: "Set up the results framework" }).click();
    await page.getByRole("heading", { name: "Results framework" }).waitFor();
    const newResult = page.getByRole("form", { name: "Add a result" });
    await newResult.getByLabel("Result").fill(RESULT);
    await newResult.getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { name: new RegExp(RESULT) }).waitFor();
    await page.getByRole("button", { name: `Add an indicator to “${RESULT}”` }).click();
    const editor = page.getByRole("form", { name: "Add an indicator" });
    await chooseOption(page, "Indicator from the catalogue", INDICATOR);
    await editor.getByLabel("Baseline", { exact: true }).fill("0");
    await editor.getByLabel("Baseline date").fill("2024-01-01");
    await editor.getByLabel("Target", { exact: true }).nth(0).fill("120");
    await editor.getByRole("button", { name: "Add a target" }).click();
    await editor.getByLabel("Period").nth(1).fill("2025");
    await editor.getByLabel("For", { exact: true }).nth(1).selectOption({ label: "Sex: Female" });
    await editor.getByLabel("Target", { exact: true }).nth(1).fill("30");
    await editor.getByRole("button", { name: "Add a target" }).click();
    await editor.getByLabel("Period").nth(2).fill("2025");
    await editor.getByLabel("For", { exact: true }).nth(2).selectOption({ label: "Sex: Male" });
    await editor.getByLabel("Target", { exact: true }).nth(2).fill("30,5");
    await axeClean(page, "framework-indicator-editor");
    await editor.getByRole("button", { name: "Save" }).click();
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
    await page.getByRole("link", { name: `Back to ${PROJECT}` }).click();
    await page.getByLabel("Period of the new report").fill("2025Q1");
    await page.getByRole("button", { name: "Start a report" }).click();
    await page.getByRole("heading", { name: "Report for 2025Q1" }).waitFor();
    await page.getByText(INDICATOR).first().waitFor();
  });

  it("adds GEL rates, typed and as a CSV file, and sees them listed", async () => {
    const { page } = admin;
    await page.goto(`${BASE}/admin`);
    await page.getByRole("link", { name: /Exchange rates/ }).click();
    const form = page.getByRole("form", { name: "Add a rate" });
    await form.getByLabel("Currency").selectOption("GEL");
    await form.getByLabel("Rate date").fill("2024-03-01");
    await form.getByLabel("Units per EUR").fill("2,8780");
    await form.getByLabel("Source").fill("National Bank of Georgia (E2E)");
    await form.getByRole("button", { name: "Save the rate" }).click();
    expect(await page.getByTestId("rates-outcome").textContent()).toContain("1 rate saved.");
    const csv = "currency,rate_date,units_per_eur,source\nGEL,2024-06-03,2.9900,National Bank of Georgia (E2E file)\n";
    await page.getByLabel("CSV file").setInputFiles({ name: "rates.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await expect.poll(() => page.getByTestId("rates-outcome").last().textContent()).toContain("1 rate saved.");
    await page.getByLabel("Currency", { exact: true }).last().selectOption("GEL");
    await page.getByTestId("rates").getByRole("row", { name: /National Bank of Georgia \(E2E file\)/ }).waitFor();
    await axeClean(page, "admin-exchange-rates");
  });

  it("adds a donor desk officer with a scoped grant and registers an API client", async () => {
    const { page } = admin;
    await page.goto(`${BASE}/admin/users`);
    await axeClean(page, "admin-users");
    await page.getByRole("link", { name: "New user" }).click();
    await page.getByLabel("E-mail", { exact: true }).fill(`desk-${RUN.toLowerCase()}@example.org`);
    await page.getByLabel("Name", { exact: true }).fill(`Desk Officer ${RUN}`);
    await page.getByLabel("Password").fill("a long enough passphrase");
    await page.getByRole("button", { name: "Add a grant" }).click();
    await page.getByLabel("Where").selectOption("organisation");
    await chooseOption(page, "Organisation", "Ministry of the Interior of the Czech Republic", 1);
    await axeClean(page, "admin-user-form");
    await page.getByRole("button", { name: "Save" }).click();
    const row = page.getByTestId("users").getByRole("row", { name: new RegExp(`Desk Officer ${RUN}`) });
    await row.waitFor();
    expect(flat(await row.textContent())).toContain("Viewer · for MoI CZ");

    await page.goto(`${BASE}/admin/api-clients`);
    await page.getByLabel("Name", { exact: true }).fill(`E2E statistics system ${RUN}`);
    await page.getByRole("button", { name: "Register" }).click();
    const secret = page.getByTestId("client-secret");
    await secret.waitFor();
    expect(flat(await secret.textContent())).toMatch(/client_secret\S{20,}/);
    await axeClean(page, "admin-api-clients");
    await page.getByRole("button", { name: "I have copied it" }).click();
    await page.getByTestId("api-clients").getByRole("row", { name: new RegExp(`E2E statistics system ${RUN}`) }).waitFor();
  });

  it("adds an organisation, then moves it below a ministry as its department", async () => {
    const { page } = admin;
    await page.goto(`${BASE}/organisations`);
    await page.getByRole("link", { name: "New organisation" }).click();
    await page.getByLabel("Name", { exact: true }).fill(`E2E Migration Service ${RUN}`);
    await page.getByLabel("Acronym").fill(`E2E-MS-${RUN}`);
    await page.getByLabel("Country", { exact: true }).selectOption("GE");
    await axeClean(page, "organisation-form");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { name: new RegExp(`E2E Migration Service ${RUN}`) }).waitFor();
    await page.getByRole("link", { name: "Change or move" }).click();
    await chooseOption(page, "Part of (choose another to move it)", "Government of Georgia");
    await page.getByLabel("A department of the organisation it belongs to").check();
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("link", { name: "Parent organisation" }).waitFor();
    expect(flat(await page.locator(".facts").first().textContent())).toContain("counted and named under the organisation it belongs to");
    await axeClean(page, "organisation-department");
  });

  it("a manager records a GEL transaction and sees it converted, with its rate, date and source, and on the explorer", async () => {
    const manager = await openBrowser();
    try {
      const { page } = manager;
      await signIn(page, "manager@demo.mcb", "demo-manager-pass");
      await page.goto(`${BASE}/projects?q=${encodeURIComponent(RUN)}`);
      await page.getByRole("link", { name: PROJECT }).click();
      await page.getByRole("button", { name: "Add transaction" }).click();
      const form = page.getByRole("form", { name: "Add transaction" });
      await form.getByLabel("Type").selectOption("disbursement");
      await form.getByLabel("Date").fill("2024-03-15");
      await form.getByLabel("Amount").fill("10000");
      await form.getByLabel("Currency").selectOption("GEL");
      await form.getByLabel("Provider").selectOption({ label: "Government of Georgia" });
      await form.getByRole("button", { name: "Save" }).click();
      const row = page.getByTestId("transactions").getByRole("row", { name: /GEL/ });
      await row.waitFor();
      const text = flat(await row.textContent());
      expect(text).toContain("GEL 10,000.00");
      expect(text).toContain("EUR 3,474.64"); // 10,000 / 2.878
      expect(text).toMatch(/Rate 2\.878 of (1 Mar 2024|Mar 1, 2024) \(National Bank of Georgia \(E2E\)\)/);

      await page.getByRole("link", { name: "Funding", exact: true }).click();
      await page.getByRole("heading", { name: "Funding", level: 1 }).waitFor();
      await page.getByLabel("Find a funder").fill("government georgia");
      await page.getByRole("button", { name: "Add Government of Georgia" }).click();
      await page.getByLabel("Recipient country").selectOption("GE");
      await page.getByLabel("From year").fill("2024");
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

import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, openBrowser, screenshot, seriousViolations, settled, signIn, type Browser } from "./support";

const CODE = `XM-DAC-47066-MD-E2E-${Date.now().toString(36).toUpperCase()}`;

async function choosePartner(page: Page, index: number, name: string, role: string): Promise<void> {
  const organisation = page.getByLabel("Organisation", { exact: true }).nth(index);
  const value = await organisation.locator("option", { hasText: name }).first().getAttribute("value");
  await organisation.selectOption(value ?? "");
  await page.getByLabel("Organisation role").nth(index).selectOption(role);
}

describe("a programme manager", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await openBrowser();
    await signIn(browser.page, "manager@demo.mcb", "demo-manager-pass");
  });
  afterAll(async () => {
    await browser.close();
  });

  it("sees their name, role and scope", async () => {
    const menu = browser.page.getByTestId("user-menu");
    expect(await menu.textContent()).toContain("Demo Manager");
    expect(await menu.textContent()).toMatch(/Manager · for IOM/);
    await screenshot(browser.page, "signed-in-manager");
  });

  it("gets field-level errors from the API, then creates a project", async () => {
    const { page } = browser;
    await page.goto(`${BASE}/projects`);
    await page.getByRole("link", { name: "New project" }).click();
    await page.getByLabel("Code", { exact: true }).fill("x");
    await page.getByLabel("Title", { exact: true }).fill("E2E labour migration project");
    await page.getByLabel("Country", { exact: true }).selectOption("MD");
    await page.getByLabel("Share (%)").fill("150");
    await page.getByLabel("Public (shown to everyone and published to IATI)").check(); // publication is a choice
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("At least 3 characters.").waitFor();
    expect(await page.getByLabel("Code", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Share (%)").getAttribute("aria-invalid")).toBe("true");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "project-form-errors");

    await page.getByLabel("Code", { exact: true }).fill(CODE);
    await page.getByLabel("Share (%)").fill("100");
    await page.getByLabel("Planned start").fill("2024-01-01");
    await page.getByLabel("Planned end").fill("2025-12-31");
    await page.getByLabel("Border protection").check();
    await page.getByRole("button", { name: "Add partner" }).click();
    await choosePartner(page, 0, "Government of the Czech Republic", "funding");
    await page.getByRole("button", { name: "Save" }).click();
    // The API refuses a project outside the manager's scope; the page says why instead of failing silently.
    await page.getByRole("heading", { name: "Not allowed" }).waitFor();
    expect(await page.getByRole("alert").textContent()).toContain("manager grants cover");
    await screenshot(page, "project-form-forbidden");

    await page.getByRole("button", { name: "Add partner" }).click();
    await choosePartner(page, 1, "IOM Prague", "implementing");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { name: "E2E labour migration project" }).waitFor();
    expect(await page.locator(".code").first().textContent()).toBe(CODE);
  });

  it("adds a transaction in CZK and sees its EUR value, on the project and on the dashboard", async () => {
    const { page } = browser;
    await page.goto(`${BASE}/`);
    await settled(page);
    const before = await page.getByTestId("stat-eur").textContent();

    await page.goto(`${BASE}/projects?q=${encodeURIComponent("E2E labour")}`);
    await page.getByRole("link", { name: "E2E labour migration project" }).click();
    await page.getByRole("button", { name: "Add transaction" }).click();
    const form = page.getByRole("form", { name: "Add transaction" });
    await form.getByLabel("Type").selectOption("disbursement");
    await form.getByLabel("Date").fill("2024-03-15");
    await form.getByLabel("Amount").fill("10000000");
    await form.getByLabel("Currency").selectOption("CZK");
    await form.getByLabel("Provider").selectOption({ label: "CZ" });
    await form.getByRole("button", { name: "Save" }).click();
    const row = page.getByTestId("transactions").getByRole("row", { name: /CZK/ });
    await row.waitFor();
    const text = ((await row.textContent()) ?? "").replace(/[\u00a0\u202f]/g, " ");
    expect(text).toContain("CZK 10,000,000.00");
    expect(text).toMatch(/EUR\s?39\d,\d{3}\.\d{2}/);
    await settled(page);
    await screenshot(page, "project-with-transaction");

    await page.goto(`${BASE}/`);
    await settled(page);
    await expect.poll(() => page.getByTestId("stat-eur").textContent()).not.toBe(before);
    await page.getByText("The map's numbers as a table").click();
    const moldova = ((await page.getByRole("row", { name: /Moldova/ }).textContent()) ?? "").replace(
      /[\u00a0\u202f]/g,
      " ",
    );
    expect(moldova).toMatch(/EUR\s?39\d,\d{3}\.\d{2}/);
  });

  it("adds an on-site visit and a budget in another currency, then edits the budget", async () => {
    const { page } = browser;
    await page.goto(`${BASE}/projects?q=${encodeURIComponent("E2E labour")}`);
    await page.getByRole("link", { name: "E2E labour migration project" }).click();
    await page.getByRole("button", { name: "Add activity" }).click();
    const activity = page.getByRole("form", { name: "Add activity" });
    await activity.getByLabel("Kind").selectOption("on-site-visit");
    await activity.getByLabel("Facility type").selectOption("detention-facility");
    await activity.getByLabel("Title").fill("E2E visit to the Chișinău detention centre");
    await activity.getByRole("button", { name: "Save" }).click();
    // No start date: the API's field error appears beside the field.
    await activity.getByText("Enter a date.").waitFor();
    expect(await activity.getByLabel("Start").getAttribute("aria-invalid")).toBe("true");
    await activity.getByLabel("Start").fill("2024-05-12");
    await activity.getByRole("button", { name: "Save" }).click();
    const visit = page.locator("#activities .timeline-item", { hasText: "E2E visit to the Chișinău detention centre" });
    await visit.waitFor();
    expect(await visit.textContent()).toContain("Detention facility");

    await page.getByRole("button", { name: "Add budget" }).click();
    const budget = page.getByRole("form", { name: "Add budget" });
    await budget.getByLabel("Period start").fill("2024-01-01");
    await budget.getByLabel("Period end").fill("2024-12-31");
    await budget.getByLabel("Amount").fill("40000");
    await budget.getByLabel("Currency").selectOption("GEL");
    await budget.getByRole("button", { name: "Save" }).click();
    const row = page.locator("#budgets tbody tr", { hasText: "GEL" });
    await row.waitFor();
    expect(((await row.textContent()) ?? "").replace(/[\u00a0\u202f]/g, " ")).toContain("GEL 40,000.00");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "project-activity-budget");

    await row.getByRole("button", { name: /^Edit/ }).click();
    const edit = page.getByRole("form", { name: "Edit budget" });
    await edit.getByLabel("Amount").fill("45000");
    await edit.getByRole("button", { name: "Save" }).click();
    await page.locator("#budgets tbody tr", { hasText: /GEL\s45,000\.00/ }).waitFor();
  });

  it("is told clearly when someone else saved the project first (412)", async () => {
    const { page, context } = browser;
    await page.goto(`${BASE}/projects?q=${encodeURIComponent("E2E labour")}`);
    await page.getByRole("link", { name: "E2E labour migration project" }).click();
    await page.getByRole("link", { name: "Edit" }).click();
    await page.getByLabel("Title", { exact: true }).waitFor();
    const editUrl = page.url();

    const other = await context.newPage();
    await other.goto(editUrl);
    await other.getByLabel("Title", { exact: true }).fill("E2E labour migration project (renamed)");
    await other.getByRole("button", { name: "Save" }).click();
    await other.getByRole("heading", { name: "E2E labour migration project (renamed)" }).waitFor();
    await other.close();

    await page.getByLabel("Description").fill("My late change");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByTestId("conflict").waitFor();
    expect(await page.getByTestId("conflict").textContent()).toContain("Someone else changed this project");
    await screenshot(page, "project-form-conflict");
    await page.getByRole("button", { name: "Load the latest version" }).click();
    await expect
      .poll(() => page.getByLabel("Title", { exact: true }).inputValue())
      .toBe("E2E labour migration project (renamed)");
  });

  it("keeps the session across a reload (refresh cookie) and signs out", async () => {
    const { page } = browser;
    await page.goto(`${BASE}/projects`);
    // Let the start-up refresh finish first: the refresh token rotates, and a request cut off by the
    // reload would leave the browser holding the token it just spent.
    await page.getByTestId("user-menu").waitFor();
    await settled(page);
    await page.reload();
    await page.getByTestId("user-menu").waitFor();
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toMatch(/eyJ/);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("link", { name: "Sign in" }).waitFor();
    await page.reload();
    await page.getByRole("link", { name: "Sign in" }).waitFor();
  });
});

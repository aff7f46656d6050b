import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, openBrowser, screenshot, seriousViolations, settled, type Browser } from "./support";

describe("public pages (no sign-in)", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  it("dashboard: map, funding chart, themes and statuses", async () => {
    const { page } = browser;
    const requests: string[] = [];
    const consoleErrors: string[] = [];
    const onRequest = (request: { url: () => string }) => requests.push(request.url());
    const onConsole = (message: { type: () => string; text: () => string }) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    };
    page.on("request", onRequest);
    page.on("console", onConsole);
    const started = Date.now();
    await page.goto(`${BASE}/`);
    await page.getByTestId("funding-map").locator("path.programme").first().waitFor();
    console.log(`dashboard rendered in ${Date.now() - started} ms`);
    await settled(page);
    page.off("request", onRequest);
    page.off("console", onConsole);
    // An anonymous load asks for no session refresh (nothing to refuse, nothing in the console), and the map's
    // numbers come from one counts request, not from paging through the project list.
    expect(consoleErrors).toEqual([]);
    expect(requests.filter((url) => url.includes("/auth/token"))).toEqual([]);
    expect(requests.filter((url) => /\/api\/projects\/v1\/projects\?/.test(url))).toEqual([]);
    expect(requests.filter((url) => url.includes("/api/projects/v1/projects/counts"))).toHaveLength(1);
    expect(await page.getByTestId("funding-map").locator("path.programme").count()).toBeGreaterThanOrEqual(8);
    await expect.poll(() => page.locator(".recharts-bar-rectangle").count()).toBeGreaterThan(3);
    expect(await page.getByRole("heading", { name: "Projects by theme" }).isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "dashboard");
    await page.getByLabel("number of projects").check();
    await page.getByText("The map's numbers as a table").click();
    expect(await page.getByRole("row", { name: /Iraq/ }).textContent()).toContain("6");
  });

  it("projects: filters, sort and page live in the URL; the list exports as CSV", async () => {
    const { page } = browser;
    await page.goto(`${BASE}/projects`);
    await settled(page);
    // Other suites may have added projects to the same database: count from the API.
    const total = ((await (await fetch(`${BASE}/api/projects/v1/projects?page_size=1`)).json()) as { total: number })
      .total;
    await page.getByText(`${total} projects`).waitFor();
    await page.getByLabel("Country", { exact: true }).selectOption("IQ");
    await page.waitForURL(/country=IQ/);
    await page.getByText("6 projects").waitFor();
    await page.getByLabel("Sort by").selectOption("-start");
    await page.waitForURL(/sort=-start/);
    await page.getByLabel("Search").fill("visa");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/q=visa/);
    await page.getByText("1 project", { exact: true }).waitFor();

    // The same URL opened afresh shows the same view.
    const shared = page.url();
    await page.goto(shared);
    await page.getByText("1 project", { exact: true }).waitFor();
    expect(await page.getByLabel("Country", { exact: true }).inputValue()).toBe("IQ");
    expect(await page.getByLabel("Search").inputValue()).toBe("visa");

    await page.goto(`${BASE}/projects?status=closed&page_size=25`);
    await settled(page);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export CSV" }).click(),
    ]);
    const csv = readFileSync(await download.path(), "utf8");
    const lines = csv.trim().split(/\r\n/);
    expect(lines[0]).toContain("code,title,status");
    expect(lines).toHaveLength(12); // header + the 11 closed projects
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(`${BASE}/projects`);
    await settled(page);
    await screenshot(page, "projects");
  });

  it("project page: overview, partners, timeline with facility types, money in original currency and EUR", async () => {
    const { page } = browser;
    await page.goto(`${BASE}/projects?q=Georgia`);
    await page.getByRole("link", { name: "Migration management capacity building in Georgia" }).click();
    await page.getByRole("heading", { name: "Partners" }).waitFor();
    await settled(page);
    expect(await page.locator("#activities .timeline-item").count()).toBeGreaterThan(0);
    expect(await page.getByTestId("transactions").isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: "Edit" }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "project");
  });

  it("organisations and countries pages", async () => {
    const { page } = browser;
    await page.goto(`${BASE}/organisations`);
    await settled(page);
    expect(await page.locator("tbody tr").count()).toBeGreaterThan(3);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "organisations");
    await page.locator("tbody tr a").first().click();
    await settled(page);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "organisation");

    await page.goto(`${BASE}/countries`);
    await settled(page);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "countries");
    await page.getByRole("link", { name: "Iraq" }).click();
    await page.getByRole("heading", { name: "Iraq" }).waitFor();
    await settled(page);
    expect(await page.locator(".card li").count()).toBe(6);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "country");
  });

  it("switches language: Russian and Czech words, numbers and dates", async () => {
    const { page } = browser;
    await page.goto(`${BASE}/projects`);
    await settled(page);
    await page.getByLabel("Language", { exact: true }).selectOption("ru");
    await page.getByRole("heading", { name: "Проекты" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("ru");
    expect(await page.getByText(/^\d+ проект(а|ов)?$/).isVisible()).toBe(true);
    expect(await page.getByRole("link", { name: "Обзор" }).isVisible()).toBe(true);
    await screenshot(page, "projects-ru");
    // Data from the API follows the language too: country names (CLDR), statuses, themes.
    await page
      .getByLabel("Страна", { exact: true })
      .locator("option", { hasText: "Грузия" })
      .first()
      .waitFor({ state: "attached" });
    await page.getByLabel("Язык", { exact: true }).selectOption("cs");
    await page.getByRole("heading", { name: "Projekty" }).waitFor();
    expect(await page.getByText(/^\d+ projekt(y|u|ů)?$/).isVisible()).toBe(true);
    await page.goto(`${BASE}/`);
    await settled(page);
    await page.getByRole("heading", { name: "Přehled" }).waitFor();
    await page.getByRole("heading", { name: "Projekty podle témat" }).waitFor();
    expect(await page.locator(".bars").first().textContent()).toMatch(
      /Ochrana hranic|Kontrola dokladů|Vízová politika/,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "dashboard-cs");
    await page.getByLabel("Jazyk", { exact: true }).selectOption("en");
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
  });

  it("works on a tablet-sized screen", async () => {
    const tablet = await openBrowser({ width: 800, height: 1100 });
    try {
      const overflow = () => tablet.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      await tablet.page.goto(`${BASE}/projects`);
      await settled(tablet.page);
      expect(await overflow()).toBeLessThanOrEqual(0);
      await screenshot(tablet.page, "projects-tablet");
      await tablet.page.goto(`${BASE}/`);
      await tablet.page.getByTestId("funding-map").locator("path.programme").first().waitFor();
      await settled(tablet.page);
      expect(await overflow()).toBeLessThanOrEqual(0);
      await screenshot(tablet.page, "dashboard-tablet");
      await tablet.page.goto(`${BASE}/projects?q=Georgia`);
      await tablet.page.getByRole("link", { name: "Migration management capacity building in Georgia" }).click();
      await tablet.page.getByRole("heading", { name: "Partners" }).waitFor();
      await settled(tablet.page);
      expect(await overflow()).toBeLessThanOrEqual(0);
      await screenshot(tablet.page, "project-tablet");
    } finally {
      await tablet.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, openBrowser, screenshot, seriousViolations, settled, signIn, type Browser } from "./support";

describe("IATI in the web app", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  it("downloads the filtered list as IATI, then re-imports it with a dry run, keyboard only", async () => {
    const { page } = browser;
    await signIn(page, "admin@demo.mcb", "demo-admin-pass");
    await page.goto(`${BASE}/projects?country=GE`);
    await settled(page);
    await page.getByRole("button", { name: "IATI", exact: true }).focus();
    const [download] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
    const path = await download.path();
    expect(download.suggestedFilename()).toBe("iati-activities.xml");

    await page.goto(`${BASE}/reporting`);
    await page.getByRole("link", { name: "Import an IATI activities file" }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "IATI import" }).waitFor();
    await page.getByLabel("IATI XML file").setInputFiles(path);
    await page.getByRole("button", { name: "Dry run" }).focus();
    await page.keyboard.press("Enter");
    const summary = page.getByTestId("iati-summary");
    await summary.waitFor();
    expect(await summary.textContent()).toContain("XM-DAC-47066-GE-MMCB");
    expect(await summary.getByText("Updated").count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "iati-import");
  });
});

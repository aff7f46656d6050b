import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, openBrowser, screenshot, seriousViolations, settled, signIn, type Browser } from "./support";

describe("a viewer", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  it("signs in and sees what they may not do hidden or explained", async () => {
    const { page } = browser;
    await page.goto(`${BASE}/login`);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "login");
    await signIn(page, "viewer@demo.mcb", "demo-viewer-pass");
    expect(await page.getByTestId("user-menu").textContent()).toContain("Viewer");

    await page.goto(`${BASE}/projects`);
    await settled(page);
    expect(await page.getByRole("link", { name: "New project" }).count()).toBe(0);
    expect(await page.getByText("Creating projects needs a manager role.").isVisible()).toBe(true);

    await page.getByRole("link", { name: "Migration management capacity building in Georgia" }).click();
    await page.getByRole("heading", { name: "Partners" }).waitFor();
    await settled(page);
    expect(await page.getByRole("link", { name: "Edit" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Add transaction" }).count()).toBe(0);

    await page.goto(`${BASE}/projects/new`);
    await page.getByRole("heading", { name: "Not allowed" }).waitFor();
    expect(await page.getByRole("alert").textContent()).toContain("signed in as");
    await screenshot(page, "forbidden");
  });
});

import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, openBrowser, screenshot, seriousViolations, settled, signIn, type Browser } from "./support";

const GEORGIA = "Migration management capacity building in Georgia";

async function openGeorgianReport(browser: Browser, period: string): Promise<void> {
  const { page } = browser;
  await page.goto(`${BASE}/projects?q=Georgia`);
  await page.getByRole("link", { name: GEORGIA }).click();
  await page.getByRole("heading", { name: "Reports" }).waitFor();
  await page.locator("#reports").getByRole("link", { name: period }).click();
  await page.getByTestId("report-grid").waitFor();
  await settled(page);
}

describe("reporting", () => {
  let reporter: Browser;
  let manager: Browser;
  beforeAll(async () => {
    reporter = await openBrowser();
    manager = await openBrowser();
    await signIn(reporter.page, "reporter@demo.mcb", "demo-reporter-pass");
    await signIn(manager.page, "manager@demo.mcb", "demo-manager-pass");
  });
  afterAll(async () => {
    await reporter.close();
    await manager.close();
  });

  it("a reporter fills the grid (totals checked as they type) and submits", async () => {
    await openGeorgianReport(reporter, "2010S1");
    const { page } = reporter;
    expect(await page.getByTestId("report-status").textContent()).toBe("Draft");
    await page.getByLabel("Officials trained: total").fill("25");
    await page.getByLabel("Officials trained: Female").fill("10");
    await page.getByLabel("Officials trained: Male").fill("12");
    await page.getByText("Sex: the parts add up to 22, not to the total.").waitFor();
    await page.getByLabel("Officials trained: total").fill("22");
    expect(await page.getByText("the parts add up to").count()).toBe(0);
    await page.getByLabel("Narrative").fill("Two trainings held in Tbilisi and Batumi.");

    // Attachments: a file whose content is not what its name says is refused with the server's reason.
    const file = page.getByLabel("File to attach");
    await file.setInputFiles({
      name: "evil.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.from("MZ\x90\x00 not a pdf"),
    });
    await page.getByRole("button", { name: "Attach file" }).click();
    await page.getByTestId("attachment-problem").getByText("This type of file cannot be attached.").waitFor();
    expect(await page.getByTestId("attachment-problem").textContent()).toContain("checked by its content");
    await file.setInputFiles({
      name: "training-minutes.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.from("%PDF-1.4\n% minutes\n"),
    });
    await page.getByRole("button", { name: "Attach file" }).click();
    await page.getByRole("button", { name: "Download training-minutes.pdf" }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download training-minutes.pdf" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("training-minutes.pdf");
    expect(readFileSync(await download.path(), "utf8")).toContain("%PDF-1.4");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "report-entry");
    await page.getByRole("button", { name: "Submit for approval" }).click();
    await expect.poll(() => page.getByTestId("report-status").textContent()).toBe("Submitted");
    expect(await page.getByRole("button", { name: "Submit for approval" }).count()).toBe(0);
    // Submitted: the attachment stays downloadable, but nothing can be added or removed.
    expect(await page.getByRole("button", { name: "Download training-minutes.pdf" }).isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: "Remove training-minutes.pdf" }).count()).toBe(0);
    expect(await page.getByLabel("File to attach").count()).toBe(0);
  });

  it("a manager approves it and the progress changes", async () => {
    const { page } = manager;
    await page.goto(`${BASE}/`);
    await page
      .getByTestId("awaiting")
      .getByRole("link", { name: `${GEORGIA} — 2010S1` })
      .waitFor();
    await openGeorgianReport(manager, "2010S1");
    const before = await page.getByTestId("progress-numbers").first().textContent();
    expect(await page.getByTestId("report-status").textContent()).toBe("Submitted");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "report-approval");
    await page.getByLabel("Comment").fill("Thank you.");
    await page.getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => page.getByTestId("report-status").textContent()).toBe("Approved");
    await expect.poll(() => page.getByTestId("progress-numbers").first().textContent()).not.toBe(before);
    await expect.poll(() => page.locator(".history").textContent()).toContain("approved it");
  });

  it("an import's dry run lists its conflicts by row and writes nothing", async () => {
    const { page } = manager;
    await page.goto(`${BASE}/reporting`);
    await page.getByLabel("File (CSV, XLSX or JSON)").waitFor();
    const csv = [
      "project,indicator,period,value,disaggregation",
      "XM-DAC-47066-GE-MMCB,officials-trained,2010S2,12,",
      "XM-DAC-47066-GE-MMCB,no-such-indicator,2010S2,5,",
    ].join("\n");
    await page
      .getByLabel("File (CSV, XLSX or JSON)")
      .setInputFiles({ name: "values.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByRole("button", { name: "Check (dry run)" }).click();
    const conflicts = page.getByTestId("import-conflicts");
    await conflicts.waitFor();
    expect(await conflicts.textContent()).toContain("3");
    expect(await page.getByRole("button", { name: "Import", exact: true }).isDisabled()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "import-conflicts");

    const good = ["project,indicator,period,value", "XM-DAC-47066-GE-MMCB,officials-trained,2010S2,12"].join("\n");
    await page
      .getByLabel("File (CSV, XLSX or JSON)")
      .setInputFiles({ name: "good.csv", mimeType: "text/csv", buffer: Buffer.from(good) });
    await page.getByRole("button", { name: "Check (dry run)" }).click();
    await page.getByText("Dry run: what would happen").waitFor();
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByRole("heading", { name: "Imported" }).waitFor();
    await screenshot(page, "import-done");

    await page.getByLabel("Include values not yet approved").check();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download CSV" }).click(),
    ]);
    const exported = readFileSync(await download.path(), "utf8");
    expect(exported).toContain("officials-trained");
  });

  it("the dashboard shows indicator highlights, IDPs in Georgia as a range", async () => {
    const { page } = manager;
    await page.goto(`${BASE}/`);
    await settled(page);
    const idps = page.getByTestId("highlight-ge-idps");
    expect(await idps.textContent()).toMatch(/220,000–250,000/);
    expect(await idps.getByRole("img").getAttribute("aria-label")).toContain("between 220,000 and 250,000");
    expect(await page.getByTestId("highlight-md-nationals-working-abroad").textContent()).toContain("317,900");
  });
});

// Regression tests for the defects of issue 14, each as a user meets it in real Chromium (keyboard where it matters,
// axe on the pages it touches).
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  api,
  apiToken,
  BASE,
  openBrowser,
  screenshot,
  seriousViolations,
  settled,
  signIn,
  type Browser,
} from "./support";

const GEORGIA = "Migration management capacity building in Georgia";
const nbsp = (s: string | null) => (s ?? "").replace(/[\u00a0\u202f]/g, " ");

async function georgianProjectId(): Promise<string> {
  const list = (await (await fetch(`${BASE}/api/projects/v1/projects?q=Georgia&page_size=5`)).json()) as {
    items: { id: string; title: string }[];
  };
  const found = list.items.find((p) => p.title === GEORGIA);
  if (!found) throw new Error("the demo's Georgian project is missing");
  return found.id;
}

async function focusedId(page: Page): Promise<string | null> {
  return page.evaluate(
    () =>
      document.activeElement?.id ||
      document.activeElement?.getAttribute("aria-label") ||
      document.activeElement?.tagName ||
      null,
  );
}

describe("issue 14's defects, fixed", () => {
  let manager: Browser;
  let reporter: Browser;
  let anonymous: Browser;
  beforeAll(async () => {
    manager = await openBrowser();
    reporter = await openBrowser();
    anonymous = await openBrowser();
    await signIn(manager.page, "manager@demo.mcb", "demo-manager-pass");
    await signIn(reporter.page, "reporter@demo.mcb", "demo-reporter-pass");
  });
  afterAll(async () => {
    await manager.close();
    await reporter.close();
    await anonymous.close();
  });

  it("1: a clean dry run as a background job enables Import, with the job's state in words", async () => {
    const { page } = manager;
    await page.goto(`${BASE}/reporting`);
    // Over the stack's 4 KB job threshold (scripts/run-e2e.mjs): one good row, with a long comment.
    const csv = [
      "project,indicator,period,value,comment",
      `XM-DAC-47066-GE-MMCB,officials-trained,2008S2,9,${"Trainings in Tbilisi. ".repeat(220)}`,
    ].join("\n");
    await page
      .getByLabel("File (CSV, XLSX or JSON)")
      .setInputFiles({ name: "large.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByRole("button", { name: "Check (dry run)" }).click();
    const job = page.getByTestId("import-job");
    await job.getByRole("heading", { name: "Import finished" }).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("import-job-status").textContent()).toMatch(
      /^Finished: 1 of 1 rows · this was a dry run/,
    );
    const importButton = page.getByRole("button", { name: "Import", exact: true });
    expect(await importButton.isDisabled()).toBe(false);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "import-job-dry-run");
    await importButton.click();
    await expect
      .poll(() => page.getByTestId("import-job-status").textContent(), { timeout: 30_000 })
      .toMatch(/^Finished: 1 of 1 rows · the values were written/);
  });

  it("2: changing filters, search and sort keeps the keyboard focus where it was", async () => {
    const { page } = manager;
    await page.goto(`${BASE}/projects`);
    await settled(page);
    await page.getByLabel("Status").focus();
    await page.keyboard.press("ArrowDown"); // a select changes with the keyboard
    await page.waitForURL(/status=/);
    await settled(page);
    expect(await focusedId(page)).toBe("f-status");
    await page.getByLabel("Search").fill("Iraq");
    await page.keyboard.press("Enter");
    await page.waitForURL(/q=Iraq/);
    await settled(page);
    expect(await focusedId(page)).toBe("f-q");
    await page.getByRole("button", { name: "Title" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/sort=title/);
    await settled(page);
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toMatch(/^Title/);
  });

  it("2, 3, 4: Save draft keeps focus and says Saved.; leaving with unsaved values asks first", async () => {
    const { page } = reporter;
    const projectId = await georgianProjectId();
    await page.goto(`${BASE}/projects/${projectId}`);
    await page.locator("#reports").getByRole("link", { name: "2010S1" }).click();
    await page.getByTestId("report-grid").waitFor();
    await settled(page);
    // Earlier periods sit beside the cell.
    expect(await page.getByTestId("previous-values").first().textContent()).toMatch(/2009/);
    await page.getByLabel("Narrative").fill("Draft in progress, trainings counted.");
    const save = page.getByRole("button", { name: "Save draft" });
    await save.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByTestId("save-status").textContent()).toContain("Saved.");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Save draft");

    // Not a number: not saved, said beside the cell, and leaving asks first.
    await page.getByLabel("Officials trained: total").fill("eighteen");
    await page.getByText("Enter a number, e.g. 12,500.50.").waitFor();
    await page.getByRole("link", { name: "← Back to the project" }).click();
    const dialog = page.getByRole("alertdialog", { name: "Leave without saving?" });
    await dialog.waitFor();
    expect(await focusedId(page)).toBe("BUTTON");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "report-unsaved-guard");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    expect(page.url()).toContain("/reports/");
    await page.getByLabel("Officials trained: total").fill("18");
    await expect.poll(() => page.getByTestId("save-status").textContent(), { timeout: 15_000 }).toContain("Saved.");
    await page.getByRole("link", { name: "← Back to the project" }).click();
    await page.getByRole("heading", { name: GEORGIA }).waitFor();
  });

  it("5: field errors in the user's language; amounts read as the language writes them", async () => {
    const { page } = manager;
    await page.goto(`${BASE}/projects/new`);
    await page.getByLabel("Language", { exact: true }).selectOption("cs");
    try {
      await page.getByLabel("Kód", { exact: true }).fill("x");
      await page.getByLabel("Název", { exact: true }).fill("E2E česky");
      await page.getByRole("radio", { name: /Neveřejný/ }).check(); // publication is a choice the form asks for before sending
      await page.getByRole("button", { name: "Uložit" }).click();
      await page.getByText("Počet znaků: alespoň 3.").waitFor();
      expect(await page.getByText("Vyberte zemi.").count()).toBeGreaterThan(0);
      expect(await page.locator("body").textContent()).not.toMatch(/String should|Value error|ISO 3166/);
      await screenshot(page, "project-form-errors-cs");

      // A transaction of "12 500,50" CZK in Czech is 12,500.50.
      const projectId = await georgianProjectId();
      await page.goto(`${BASE}/projects/${projectId}`);
      await page.getByRole("button", { name: "Přidat transakci" }).click();
      const form = page.getByRole("form", { name: "Přidat transakci" });
      await form.getByLabel("Datum").fill("2009-03-15");
      await form.getByLabel("Částka").fill("12 500,50");
      await form.getByLabel("Měna").selectOption("CZK");
      await form.getByRole("button", { name: "Uložit" }).click();
      await page.getByTestId("transactions").getByRole("row", { name: /CZK/ }).waitFor();
      expect(nbsp(await page.getByTestId("transactions").getByRole("row", { name: /CZK/ }).textContent())).toContain(
        "12 500,50 CZK",
      );
    } finally {
      await page.locator(".language-switch select").selectOption("en");
    }
  });

  it("6: the map states unconverted money instead of EUR 0.00; Russian axis labels are whole", async () => {
    // A country whose only money is in a currency without any rate (Albanian lek: the ECB publishes none, and other
    // scenarios add rates for GEL): arranged through the API, so what other suites convert does not matter.
    const admin = await apiToken("admin@demo.mcb", "demo-admin-pass");
    const project = await api<{ id: string }>(admin, "POST", "/api/projects/v1/projects", {
      code: `XM-E2E-AL-${Date.now().toString(36)}`,
      title: "E2E border management in Albania",
      is_public: true, // the anonymous dashboard shows public projects only
      countries: [{ country_code: "AL", percentage: "100" }],
    });
    await api(admin, "POST", `/api/projects/v1/projects/${project.id}/transactions`, {
      transaction_type: "disbursement",
      transaction_date: "2024-05-02",
      amount: "1000000",
      currency: "ALL",
    });
    const { page } = anonymous;
    await page.goto(`${BASE}/`);
    await settled(page);
    await page.getByText("The map's numbers as a table").click();
    const albania = nbsp(await page.getByRole("row", { name: /Albania/ }).textContent());
    expect(albania).toContain("no EUR value");
    expect(albania).toContain("ALL 1,000,000");
    expect(nbsp(await page.locator(".map-block table").textContent())).not.toContain("EUR 0.00");
    // The headline is whole euros (a new entry moves it), with the unconverted amounts stated beside it.
    expect(nbsp(await page.getByTestId("stat-eur").textContent())).toMatch(/^EUR [\d,]+ plus .*ALL 1,000,000/);

    await page.getByLabel("Language", { exact: true }).selectOption("ru");
    try {
      await expect
        .poll(() => page.locator(".recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value").count())
        .toBeGreaterThan(1);
      const ticks = await page
        .locator(".recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value")
        .evaluateAll((nodes) =>
          nodes.map((n) => ({
            text: n.textContent ?? "",
            left: (n as SVGGraphicsElement).getBoundingClientRect().left,
            svg: n.closest("svg")?.getBoundingClientRect().left ?? 0,
          })),
        );
      for (const tick of ticks) {
        expect(tick.left).toBeGreaterThanOrEqual(tick.svg); // not cut at the chart's edge
        expect(nbsp(tick.text)).toMatch(/^\d[\d ,]*( (тыс|млн)\.)?$/);
      }
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, "dashboard-ru");
    } finally {
      await page.locator(".language-switch select").selectOption("en");
    }
  });

  it("7: Page not found for unknown addresses; a report opened signed out offers to sign in; no projects//", async () => {
    const { page } = anonymous;
    await page.goto(`${BASE}/no-such-page`);
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "page-not-found");

    const token = await apiToken("reporter@demo.mcb", "demo-reporter-pass");
    const reports = await api<{ items: { id: string; period: string }[] }>(
      token,
      "GET",
      `/api/reporting/v1/projects/${await georgianProjectId()}/reports`,
    );
    const draft = reports.items.find((r) => r.period === "2010S1");
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.goto(`${BASE}/reports/${draft?.id}`);
    const panel = page.getByRole("alert");
    await panel.getByText("If you have an account, sign in to see it.").waitFor();
    await panel.getByRole("link", { name: "Sign in" }).click();
    await page.getByLabel("E-mail").fill("reporter@demo.mcb");
    await page.getByLabel("Password").fill("demo-reporter-pass");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("report-grid").waitFor();
    expect(page.url()).toBe(`${BASE}/reports/${draft?.id}`);
    expect(requests.filter((url) => url.includes("projects//"))).toEqual([]);
    await page.getByRole("button", { name: "Sign out" }).click();
  });

  it("8: history names people, says what changed in words, no false changes, actions translated", async () => {
    const { page } = manager;
    await page.goto(`${BASE}/projects?q=${encodeURIComponent("Georgia")}`);
    await page.getByRole("link", { name: GEORGIA }).click();
    await page.getByRole("link", { name: "Edit" }).click();
    await page.getByRole("button", { name: "Save" }).click(); // saved unchanged
    await page.getByRole("heading", { name: GEORGIA }).waitFor();
    const history = page.getByTestId("project-history");
    await expect.poll(() => history.textContent()).toContain("saved without changes");
    const text = (await history.textContent()) ?? "";
    expect(text).toContain("Demo Manager");
    expect(text).not.toMatch(/user:|\{|100\.00 → 100/);
    await page.getByLabel("Language", { exact: true }).selectOption("ru");
    try {
      await expect.poll(() => history.textContent()).toContain("сохранено без изменений");
      expect(await history.textContent()).not.toMatch(/\b(update|create)\b/);
    } finally {
      await page.locator(".language-switch select").selectOption("en");
    }
  });

  it("9: a viewer cannot open the edit form; a manager is told their scope before filling anything in", async () => {
    const viewer = await openBrowser();
    try {
      await signIn(viewer.page, "viewer@demo.mcb", "demo-viewer-pass");
      await viewer.page.goto(`${BASE}/projects/${await georgianProjectId()}/edit`);
      await viewer.page.getByText("Only managers of this project can change it.").waitFor();
      expect(await viewer.page.getByLabel("Title", { exact: true }).count()).toBe(0);
    } finally {
      await viewer.close();
    }
    const { page } = manager;
    await page.goto(`${BASE}/projects/new`);
    const notice = page.getByTestId("scope-notice");
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/Your manager grants cover IOM Prague/);
  });

  it("10: Funder means one thing; a new transaction's provider is the funding partner; en-GB dates; no file paths", async () => {
    const { page } = manager;
    const token = await apiToken("manager@demo.mcb", "demo-manager-pass");
    const list = await api<{ items: { id: string; funders: unknown[] }[] }>(
      token,
      "GET",
      "/api/projects/v1/projects?page_size=100",
    );
    let funded: { id: string } | undefined;
    for (const p of list.items.filter((item) => item.funders.length > 0)) {
      if ((await api<{ can_edit: boolean }>(token, "GET", `/api/projects/v1/projects/${p.id}/access`)).can_edit) {
        funded = p;
        break;
      }
    }
    await page.goto(`${BASE}/projects`);
    await settled(page);
    expect(await page.getByRole("columnheader", { name: "Funding partners" }).count()).toBe(1);
    await page.goto(`${BASE}/projects/${funded?.id}`);
    const fundingRow = page.locator("#partners .fact-row", { hasText: "Funding" });
    await fundingRow.waitFor();
    await page.getByRole("button", { name: "Add transaction" }).click();
    const provider = page.getByRole("form", { name: "Add transaction" }).getByLabel("Funder (provider)");
    // (the organisations to choose from may still be loading as the form opens)
    await expect
      .poll(async () => ((await provider.locator("option:checked").textContent()) ?? "").trim())
      .not.toBe("—");
    const chosen = ((await provider.locator("option:checked").textContent()) ?? "").trim();
    expect(await fundingRow.textContent()).toContain(chosen);
    await page.getByRole("form", { name: "Add transaction" }).getByRole("button", { name: "Cancel" }).click();
    expect(await page.locator("#overview").textContent()).toMatch(/\d{1,2} [A-Z][a-z]{2} \d{4}/); // "1 Jun 2008", not "Jun 1, 2008"
    expect(await page.locator("body").textContent()).not.toMatch(/\.txt|seeds\//);
  });
});

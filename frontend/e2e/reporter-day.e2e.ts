// A reporter's and their approver's day, in the browser: the due-report e-mail arrives (at the test SMTP server), the
// reporter fills the report, a refused submission says why, the submission goes through; the manager is told (bell and
// e-mail), returns it with a comment, the reporter corrects it, and the manager approves it seeing what changed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitForMail } from "./mail";
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

const STAMP = Date.now().toString(36).toUpperCase();
const TITLE = `E2E border checks in Adjara ${STAMP}`;

/** The month before this one: the one period of a project that started on its first day and reports monthly. */
function lastMonth(): { start: string; code: string } {
  const now = new Date();
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const code = `${first.getUTCFullYear()}-${String(first.getUTCMonth() + 1).padStart(2, "0")}`;
  return { start: `${code}-01`, code };
}

describe("a reporter's day and the manager's approval", () => {
  let reporter: Browser;
  let manager: Browser;
  const period = lastMonth();

  beforeAll(async () => {
    // What the day starts from, arranged through the API as the admin (the admin's own screens are another scenario):
    // a project in Georgia that IOM Prague implements, reporting an indicator by sex monthly (the project indicator's own
    // frequency, where the catalogue says quarterly) since last month.
    const admin = await apiToken("admin@demo.mcb", "demo-admin-pass");
    const orgs = await api<{ items: { id: string; name: string }[] }>(
      admin,
      "GET",
      "/api/projects/v1/organisations?q=IOM%20Prague",
    );
    const prague = orgs.items.find((o) => o.name === "IOM Prague");
    const project = await api<{ id: string }>(admin, "POST", "/api/projects/v1/projects", {
      code: `XM-DAC-47066-GE-E2E-${STAMP}`,
      title: TITLE,
      status: "implementation",
      planned_start: period.start,
      countries: [{ country_code: "GE", percentage: "100" }],
      participants: [{ organisation_id: prague?.id, role: "implementing" }],
    });
    const code = `e2e-checks-${STAMP.toLowerCase()}`;
    await api(admin, "POST", "/api/reporting/v1/indicators", {
      code,
      name: "Document checks trained",
      level: "output",
      measure: "number",
      unit: "persons",
      frequency: "quarter", // the catalogue's habit; this project reports it monthly (its own frequency)
      dimensions: [
        {
          code: "sex",
          name: "Sex",
          values: [
            { code: "f", name: "Female" },
            { code: "m", name: "Male" },
          ],
        },
      ],
    });
    // A second indicator of the same project is reported yearly: it is not in a month's report.
    await api(admin, "POST", "/api/reporting/v1/indicators", {
      code: `${code}-posts`,
      name: "Border posts staffed",
      level: "output",
      measure: "number",
      unit: "posts",
      frequency: "year",
    });
    await api(admin, "POST", `/api/reporting/v1/projects/${project.id}/results`, {
      kind: "output",
      title: "Border officers of Adjara trained",
      indicators: [
        { indicator_code: code, frequency: "month", targets: [{ value: "60" }] },
        { indicator_code: `${code}-posts`, targets: [{ value: "4" }] },
      ],
    });
    reporter = await openBrowser({ width: 1024, height: 1366 }); // a tablet, upright
    manager = await openBrowser();
  });
  afterAll(async () => {
    await reporter.close();
    await manager.close();
  });

  it("the reporter is told by e-mail that the report is due, and starts it from the link", async () => {
    // (In January the yearly indicator's year is due too: its own e-mail, for another period.)
    const mail = await waitForMail(
      (m) => m.to === "reporter@demo.mcb" && m.subject.includes(TITLE) && m.subject.includes(period.code),
      90_000,
    );
    expect(mail.subject).toBe(`A report for ${period.code} of ${TITLE} is due`);
    const link = /https?:\/\/\S+\/inbox/.exec(mail.body)?.[0];
    expect(link).toBe(`${BASE}/inbox`);

    const { page } = reporter;
    await page.goto(link ?? "");
    await page.getByLabel("E-mail").fill("reporter@demo.mcb");
    await page.getByLabel("Password").fill("demo-reporter-pass");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "My reports" }).waitFor();
    await settled(page);
    const due = page.getByTestId("inbox-due").getByRole("listitem").filter({ hasText: TITLE });
    await due.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "inbox");
    // Keyboard only: to the button, Enter.
    await due.getByRole("button", { name: `Start the report for ${period.code}` }).focus();
    await page.keyboard.press("Enter");
    await page.getByTestId("report-grid").waitFor();
    expect(await page.getByTestId("report-status").textContent()).toBe("Draft");
    // The yearly indicator has no cells in a month's report; it is named apart with its frequency.
    expect(await page.getByLabel("Border posts staffed: total").count()).toBe(0);
    expect(await page.getByTestId("other-frequencies").textContent()).toContain("Border posts staffed (calendar year)");
  });

  it("fills it, is told why the first submission is refused, and submits", async () => {
    const { page } = reporter;
    await page.getByLabel("Document checks trained: total").fill("25");
    await page.getByLabel("Document checks trained: Female (Sex)").fill("10");
    await page.getByLabel("Document checks trained: Male (Sex)").fill("12");
    await page.getByRole("button", { name: "Submit for approval" }).click();
    const refusal = page.getByTestId("report-problem");
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain("The report was not submitted");
    expect(await refusal.textContent()).toContain(
      "Document checks trained: Sex: the parts do not add up to the total.",
    );
    expect(await page.getByTestId("report-status").textContent()).toBe("Draft");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "report-refused");

    await page.getByLabel("Document checks trained: total").fill("22");
    await page.getByLabel("Narrative").fill("Two trainings in Batumi.");
    await page.getByRole("button", { name: "Submit for approval" }).click();
    await expect.poll(() => page.getByTestId("report-status").textContent()).toBe("Submitted");
    expect(await page.getByTestId("save-status").textContent()).toContain("Submitted for approval.");
    // Submitted: the values are read-only text, not boxes.
    expect(await page.getByTestId("report-grid").getByRole("textbox").count()).toBe(0);
    expect(await page.getByLabel("Document checks trained: total").textContent()).toBe("22");
  });

  it("the manager is told (bell and e-mail), returns the report with a comment", async () => {
    const mail = await waitForMail((m) => m.to === "manager@demo.mcb" && m.subject.includes(TITLE));
    expect(mail.subject).toBe(`Report ${period.code} of ${TITLE} waits for your approval`);
    const { page } = manager;
    await signIn(page, "manager@demo.mcb", "demo-manager-pass");
    const bell = page.getByRole("link", { name: "Notifications", exact: true });
    await page.getByTestId("notification-count").waitFor();
    expect(await bell.getAttribute("aria-describedby")).toBeTruthy();
    await bell.click();
    await page.getByRole("heading", { name: "Notifications" }).waitFor();
    await settled(page);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "notifications");
    await page
      .getByTestId("notifications")
      .getByRole("link", { name: new RegExp(`submitted the report for ${period.code} of ${TITLE}`) })
      .click();
    await page.getByTestId("report-grid").waitFor();
    await settled(page);
    expect(await page.getByTestId("report-status").textContent()).toBe("Submitted");
    await page.getByLabel("Comment").fill("Please check the number of women.");
    await page.getByRole("button", { name: "Return to reporters" }).click();
    await expect.poll(() => page.getByTestId("report-status").textContent()).toBe("Returned");
  });

  it("the reporter finds it returned, corrects it and submits it again", async () => {
    await waitForMail(
      (m) => m.to === "reporter@demo.mcb" && m.subject === `Report ${period.code} of ${TITLE} was returned to you`,
    );
    const { page } = reporter;
    await page.goto(`${BASE}/inbox`);
    const returned = page.getByTestId("inbox-returned").getByRole("listitem").filter({ hasText: TITLE });
    await returned.waitFor();
    expect(await returned.textContent()).toContain("Please check the number of women.");
    await returned.getByRole("link").click();
    await page.getByTestId("report-grid").waitFor();
    expect(await page.getByTestId("return-comment").textContent()).toContain("Please check the number of women.");
    await page.getByLabel("Document checks trained: Female (Sex)").fill("11");
    await page.getByLabel("Document checks trained: Male (Sex)").fill("11");
    // Autosave: a pause saves the draft by itself.
    await expect.poll(() => page.getByTestId("save-status").textContent(), { timeout: 15_000 }).toContain("Saved.");
    await page.getByRole("button", { name: "Submit for approval" }).click();
    await expect.poll(() => page.getByTestId("report-status").textContent()).toBe("Submitted");
  });

  it("the manager sees what changed since the first submission and approves", async () => {
    const { page } = manager;
    await page.goto(`${BASE}/`);
    await page
      .getByTestId("awaiting")
      .getByRole("link", { name: new RegExp(TITLE) })
      .click();
    const changes = page.getByTestId("changes-since-submission");
    await changes.waitFor();
    const rows = changes.getByRole("row");
    expect(await rows.count()).toBe(3); // the header, Female 10 → 11, Male 12 → 11
    expect(await changes.textContent()).toMatch(/Female \(Sex\)\s*10\s*11/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "report-changes-since-submission");
    await page.getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => page.getByTestId("report-status").textContent()).toBe("Approved");
    // The decision stays in view with the focus (not lost to the page's body).
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Approved.");
    await waitForMail(
      (m) => m.to === "reporter@demo.mcb" && m.subject === `Report ${period.code} of ${TITLE} was approved`,
    );
  });
});

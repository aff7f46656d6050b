// Keyboard-only operation for the day's-work scenarios: every control is reached with Tab (or Shift+Tab) from where
// the focus is, as a keyboard user would, and operated with the keys a person presses. A control that is not in the
// tab order, or that does not answer its keys, fails the scenario; the mouse is never used.
import type { Locator, Page } from "playwright-core";
import { BASE } from "./support";

const MAX_STEPS = 200;

async function isFocused(target: Locator): Promise<boolean> {
  return target.evaluate((el) => el === document.activeElement);
}

/**
 * Moves the focus with Tab until `target` has it, Shift+Tab when it lies before the focused element. Throws when the
 * target is never reached (not focusable, hidden, or outside the tab order).
 */
export async function tabTo(page: Page, target: Locator): Promise<void> {
  await target.waitFor();
  if (await isFocused(target)) return;
  const before = await target.evaluate((el) => {
    const active = document.activeElement;
    if (!active || active === document.body) return false;
    return (el.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
  });
  const key = before ? "Shift+Tab" : "Tab";
  for (let i = 0; i < MAX_STEPS; i += 1) {
    await page.keyboard.press(key);
    if (await isFocused(target)) return;
  }
  throw new Error(`${key} never reached ${String(target)}`);
}

/** Reaches a button or link with Tab and presses Enter. */
export async function press(page: Page, target: Locator): Promise<void> {
  await tabTo(page, target);
  await page.keyboard.press("Enter");
}

/**
 * Reaches a file input with Tab and opens the browser's file chooser with Space, as a keyboard user does, then gives
 * it `file`. Space is pressed again (three times at most) when no chooser event arrives within five seconds: in one
 * full run of the suite the event never reached Playwright after the first press (the same test passed on re-run),
 * so one missed event is not taken for a broken control; a control that never opens a chooser still fails.
 */
export async function chooseFile(
  page: Page,
  target: Locator,
  file: { name: string; mimeType: string; buffer: Buffer },
): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    await tabTo(page, target);
    const opened = page.waitForEvent("filechooser", { timeout: 5_000 });
    await page.keyboard.press("Space");
    try {
      await (await opened).setFiles(file);
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/** Reaches a checkbox with Tab and ticks it with Space (unless it is ticked already). */
export async function tick(page: Page, target: Locator): Promise<void> {
  await tabTo(page, target);
  if (!(await target.isChecked())) await page.keyboard.press("Space");
}

/** Reaches a text field with Tab, selects what it holds and types `text` over it. */
export async function typeInto(page: Page, target: Locator, text: string): Promise<void> {
  await tabTo(page, target);
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Backspace");
  await page.keyboard.type(text);
}

const dateOrders = new WeakMap<object, "dmy" | "mdy">();

/**
 * The order in which this browser draws a date field's parts (headless Chromium keeps its own, whatever the page's
 * locale): learnt once per browser by typing a known date into a date field on a blank page of its own.
 */
async function dateOrder(page: Page): Promise<"dmy" | "mdy"> {
  const known = dateOrders.get(page.context());
  if (known) return known;
  const probe = await page.context().newPage();
  try {
    await probe.setContent('<input aria-label="probe" type="date">');
    await probe.keyboard.press("Tab");
    await probe.keyboard.type("01022003");
    const value = await probe.getByLabel("probe").inputValue();
    const order = value === "2003-02-01" ? "dmy" : value === "2003-01-02" ? "mdy" : null;
    if (!order) throw new Error(`a date field this browser fills as ${value}`);
    dateOrders.set(page.context(), order);
    return order;
  } finally {
    await probe.close();
  }
}

/** Types an ISO date into a date field part by part, in the order the browser shows them. */
export async function typeDate(page: Page, target: Locator, iso: string): Promise<void> {
  const [year, month, day] = iso.split("-");
  const order = await dateOrder(page);
  await tabTo(page, target);
  // Reached with Shift+Tab, the focus is on the year: the left arrow walks back to the first part.
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.type(order === "dmy" ? `${day}${month}${year}` : `${month}${day}${year}`);
}

/**
 * Chooses an option of a native select by keyboard: its first word typed (the browser's type-ahead), then the arrow
 * keys until the option whose text (or value) is `choice` is selected.
 */
export async function choose(page: Page, select: Locator, choice: string): Promise<void> {
  await tabTo(page, select);
  // A handle, not the locator: choosing a language renames the select's own label while the keys move through it.
  const handle = await select.elementHandle();
  if (!handle) throw new Error(`no ${String(select)}`);
  const options = await handle.evaluate((el) =>
    Array.from((el as HTMLSelectElement).options).map((o) => ({ text: o.text.trim(), value: o.value })),
  );
  const wanted = options.findIndex((o) => o.text === choice || o.value === choice);
  const fallback = wanted >= 0 ? wanted : options.findIndex((o) => o.text.includes(choice));
  if (fallback < 0) throw new Error(`no option ${choice} in ${String(select)}`);
  const selected = () => handle.evaluate((el) => (el as HTMLSelectElement).selectedIndex);
  const firstWord = (options[fallback]?.text ?? "").split(/\s/)[0] ?? "";
  if ((await selected()) !== fallback && /^[\p{L}\p{N}]+$/u.test(firstWord)) await page.keyboard.type(firstWord);
  for (let i = 0; i < MAX_STEPS; i += 1) {
    const at = await selected();
    if (at === fallback) return;
    await page.keyboard.press(at < fallback ? "ArrowDown" : "ArrowUp");
  }
  throw new Error(`the arrow keys never reached ${choice} in ${String(select)}`);
}

/** Signs in on the sign-in page by keyboard only. */
export async function signInByKeyboard(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${BASE}/login`);
  await typeInto(page, page.getByLabel("E-mail"), email);
  await typeInto(page, page.getByLabel("Password"), password);
  await page.keyboard.press("Enter"); // submits the form from its last field
  await page.getByTestId("user-menu").waitFor();
}

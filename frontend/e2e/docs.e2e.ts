// The services' API docs (Swagger UI and ReDoc) render with the network cut off: every request that does not go to
// the stack itself is aborted, and none may be attempted. Their scripts and styles come from the services.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { BASE, SCREENSHOTS, openBrowser, screenshot, type Browser } from "./support";

const origin = new URL(BASE).origin;

describe("API docs offline", () => {
  let browser: Browser;
  const blocked: string[] = [];
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    // ReDoc's bundle always renders Redocly's logo from its CDN: the docs pages' policy (img-src 'self') stops it,
    // which is what this suite proves; only that report is expected.
    browser = await openBrowser(undefined, [/https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini\.svg/]);
    await browser.context.route("**/*", async (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`) || url.startsWith("data:") || url.startsWith("blob:")) {
        await route.continue();
      } else {
        blocked.push(url);
        await route.abort("internetdisconnected");
      }
    });
  });
  afterAll(async () => {
    await browser.close();
  });

  for (const service of ["projects", "reporting"]) {
    it(`${service}-api: Swagger UI lists the operations and offers OAuth2 sign-in`, async () => {
      const { page } = browser;
      await page.goto(`${BASE}/api/${service}/docs`);
      await page.locator(".swagger-ui .info .title").waitFor();
      await expect(page.locator(".swagger-ui .info .title").textContent()).resolves.toContain(`${service}-api`);
      await page.locator(".opblock").first().waitFor();
      expect(await page.locator(".opblock").count()).toBeGreaterThan(20);
      await expect(
        page
          .getByRole("button", { name: /authorize/i })
          .first()
          .isVisible(),
      ).resolves.toBe(true);
      await screenshot(page, `docs-swagger-${service}`);
      expect(blocked).toEqual([]);
    });

    it(`${service}-api: ReDoc renders the reference`, async () => {
      const { page } = browser;
      await page.goto(`${BASE}/api/${service}/redoc`);
      await page.locator(".api-content h1").first().waitFor();
      await expect(page.locator(".api-content h1").first().textContent()).resolves.toContain(`${service}-api`);
      expect(await page.locator(".api-content h2").count()).toBeGreaterThan(20);
      await page.screenshot({ path: join(SCREENSHOTS, `docs-redoc-${service}.png`) }); // the first screen: the page is long
      expect(blocked).toEqual([]);
    });
  }
});

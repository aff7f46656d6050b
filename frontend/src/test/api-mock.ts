import { vi } from "vitest";

export type Handler = (request: Request, match: RegExpMatchArray) => Response | Promise<Response>;

export function json(body: unknown, init: ResponseInit = {}): Response {
  return new Response(JSON.stringify(body), {
    status: 200,
    ...init,
    headers: { "Content-Type": "application/json", ...(init.headers ?? {}) },
  });
}

export function problem(status: number, title: string, extra: Record<string, unknown> = {}): Response {
  return new Response(JSON.stringify({ type: "about:blank", title, status, ...extra }), {
    status,
    headers: { "Content-Type": "application/problem+json" },
  });
}

/**
 * Replaces global fetch with a table of "METHOD /path-regex" → handler; anything else is a 404 problem.
 * Returns the mock so tests can inspect the requests made.
 */
export function mockApi(routes: Record<string, Handler>) {
  const table = Object.entries(routes).map(([key, handler]) => {
    const [method, pattern] = key.split(" ", 2) as [string, string];
    return { method, regex: new RegExp(`^${pattern}$`), handler };
  });
  const mock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), "http://localhost"), init);
    const url = new URL(request.url, "http://localhost");
    for (const route of table) {
      const match = url.pathname.match(route.regex);
      if (match && route.method === request.method) return route.handler(request, match);
    }
    return problem(404, `no mock for ${request.method} ${url.pathname}`);
  });
  vi.stubGlobal("fetch", mock);
  return mock;
}

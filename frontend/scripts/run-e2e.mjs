#!/usr/bin/env node
// End-to-end run: starts the real stack (`python -m registry_stack`) on a free loopback port with a fresh
// embedded PostgreSQL in a temporary folder (migrated, demo data loaded), waits until it answers, runs the
// Playwright suite (vitest + playwright-core + Debian's Chromium), and stops the stack whatever happens.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const frontend = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repo = resolve(frontend, "..");
const python = process.env.MCB_PYTHON ?? join(repo, ".venv", "bin", "python");

if (!existsSync(join(frontend, "dist", "index.html"))) {
  console.error("frontend/dist is missing: run `npm run build` (or `make frontend-build`) first.");
  process.exit(1);
}

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

const port = Number(process.env.MCB_E2E_PORT) || (await freePort());
const base = `http://127.0.0.1:${port}`;
const work = mkdtempSync(join(tmpdir(), "mcb-e2e-"));
const logPath = join(work, "stack.log");
const log = openSync(logPath, "a");
console.log(`e2e: starting the stack on ${base} with a fresh database in ${work}`);

// A real SMTP server (aiosmtpd, from the Python environment) on a free loopback port; every message it accepts is
// written to a Maildir the suite reads (what a person would find in their mailbox).
const smtpPort = await freePort();
const maildir = join(work, "mail");
const smtp = spawn(
  python,
  ["-m", "aiosmtpd", "-n", "-l", `127.0.0.1:${smtpPort}`, "-c", "aiosmtpd.handlers.Mailbox", maildir],
  {
    cwd: repo,
    detached: true,
    stdio: ["ignore", log, log],
  },
);

const stack = spawn(python, ["-m", "registry_stack"], {
  cwd: repo,
  detached: true, // its own process group, so nothing it starts outlives the run
  stdio: ["ignore", log, log],
  env: {
    ...process.env,
    MCB_HOST: "127.0.0.1",
    MCB_PORT: String(port),
    // One fresh embedded server for the run; each service keeps its own database in it.
    PROJECTS_EMBEDDED_PG_DIR: join(work, "pg"),
    REPORTING_EMBEDDED_PG_DIR: join(work, "pg"),
    // E-mail to the test SMTP server; the workers' loops run every few seconds so a scenario does not wait minutes.
    REPORTING_SMTP_HOST: "127.0.0.1",
    REPORTING_SMTP_PORT: String(smtpPort),
    REPORTING_SMTP_SECURITY: "none",
    REPORTING_APP_URL: base,
    REPORTING_NOTIFY_POLL_SECONDS: "1",
    REPORTING_DUE_SCAN_SECONDS: "3",
    REPORTING_SYNC_INTERVAL_SECONDS: "2",
    // Imports above 4 KB run as background jobs, so the suite drives the job path from the browser with a small file.
    REPORTING_IMPORT_JOB_BYTES: "4096",
    REPORTING_IMPORT_POLL_SECONDS: "1",
  },
});
let exited = false;
stack.on("exit", () => {
  exited = true;
});

async function stop() {
  try {
    process.kill(-smtp.pid, "SIGTERM");
  } catch {
    /* already gone */
  }
  if (!exited) {
    try {
      process.kill(stack.pid, "SIGINT"); // the runner's own shutdown stops its embedded PostgreSQL
    } catch {
      /* already gone */
    }
    for (let i = 0; i < 60 && !exited; i += 1) await new Promise((r) => setTimeout(r, 500));
    if (!exited) {
      try {
        process.kill(-stack.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
  }
  // A PostgreSQL left behind (the stack was killed) is stopped through its own pid file.
  for (const dir of ["pg"]) {
    const pidFile = join(work, dir, "postmaster.pid");
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
      try {
        if (pid) process.kill(pid, "SIGINT");
      } catch {
        /* not running */
      }
    }
  }
  await new Promise((r) => setTimeout(r, 1000));
  if (!process.env.MCB_E2E_KEEP) rmSync(work, { recursive: true, force: true });
}

async function waitReady(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) return false;
    try {
      const response = await fetch(`${base}/api/projects/v1/projects?page_size=1`);
      if (response.ok) return true;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  return false;
}

let code = 1;
const onSignal = async () => {
  await stop();
  process.exit(130);
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

try {
  if (!(await waitReady(240_000))) {
    console.error(`e2e: the stack did not become ready; its log:\n${readFileSync(logPath, "utf8").slice(-4000)}`);
  } else {
    console.log("e2e: stack ready, running the suite");
    const extra = process.argv.slice(2);
    const runner = spawn(
      join(frontend, "node_modules", ".bin", "vitest"),
      ["run", "--config", "vitest.e2e.config.ts", ...extra],
      {
        cwd: frontend,
        stdio: "inherit",
        env: { ...process.env, E2E_BASE_URL: base, E2E_MAILDIR: maildir },
      },
    );
    code = await new Promise((ok) => runner.on("exit", (c) => ok(c ?? 1)));
    if (code !== 0)
      console.error(
        `e2e: failed; the stack's log is at the end of ${logPath}${process.env.MCB_E2E_KEEP ? "" : " (set MCB_E2E_KEEP=1 to keep it)"}`,
      );
  }
} finally {
  await stop();
}
process.exit(code);

// The test SMTP server's mailbox (a Maildir written by aiosmtpd, see scripts/run-e2e.mjs): e-mails as a person
// receives them, decoded (quoted-printable or base64 bodies, RFC 2047 subjects).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface Mail {
  to: string;
  subject: string;
  language: string;
  messageId: string;
  body: string;
}

const MAILDIR = process.env.E2E_MAILDIR ?? "";

function decodeWords(value: string): string {
  return value.replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, encoding: string, text: string) =>
    encoding.toUpperCase() === "B"
      ? Buffer.from(text, "base64").toString("utf8")
      : Buffer.from(
          text
            .replace(/_/g, " ")
            .replace(/=([0-9A-F]{2})/gi, (__, hex: string) => String.fromCharCode(parseInt(hex, 16))),
          "latin1",
        ).toString("utf8"),
  );
}

function parse(raw: string): Mail {
  const [head = "", ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const at = line.indexOf(":");
    if (at > 0) headers.set(line.slice(0, at).toLowerCase(), line.slice(at + 1).trim());
  }
  let body = rest.join("\n\n");
  const encoding = (headers.get("content-transfer-encoding") ?? "").toLowerCase();
  if (encoding === "base64") body = Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (encoding === "quoted-printable") {
    body = Buffer.from(
      body
        .replace(/=\r?\n/g, "")
        .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      "latin1",
    ).toString("utf8");
  }
  return {
    to: headers.get("to") ?? "",
    subject: decodeWords(headers.get("subject") ?? ""),
    language: headers.get("content-language") ?? "",
    messageId: headers.get("message-id") ?? "",
    body,
  };
}

export function mails(): Mail[] {
  const out: Mail[] = [];
  for (const folder of ["new", "cur"]) {
    const dir = join(MAILDIR, folder);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) out.push(parse(readFileSync(join(dir, name), "utf8")));
  }
  return out;
}

/** Waits (polling the Maildir) for a message that matches; fails with what did arrive. */
export async function waitForMail(match: (mail: Mail) => boolean, timeoutMs = 60_000): Promise<Mail> {
  if (!MAILDIR) throw new Error("E2E_MAILDIR is not set: run the suite through scripts/run-e2e.mjs");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = mails().find(match);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no such e-mail; received: ${JSON.stringify(mails().map((m) => [m.to, m.subject]))}`);
}

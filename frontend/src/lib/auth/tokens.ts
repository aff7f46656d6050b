import { apiOrigin } from "@/config/env";
import { getAccessToken, setAccessToken } from "@/lib/auth/token-store";
import { ApiError, problemFromResponse } from "@/lib/problem";

const AUTH = `${apiOrigin()}/api/projects/v1/auth`;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let inFlight: Promise<boolean> | null = null;

interface TokenBody {
  access_token: string;
  expires_in: number;
}

function schedule(expiresIn: number): void {
  clearTimeout(refreshTimer);
  // Renew a little before the access token expires, while the page is open.
  const ms = Math.max(5, expiresIn * 0.8) * 1000;
  refreshTimer = setTimeout(() => void refreshAccessToken(), ms);
}

async function requestToken(form: Record<string, string>): Promise<Response> {
  return fetch(`${AUTH}/token`, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Refresh-Cookie": "true" },
    body: new URLSearchParams(form),
  });
}

/** Signs in with a password; the refresh token comes back as an httpOnly cookie. */
export async function signIn(username: string, password: string): Promise<void> {
  const response = await requestToken({ grant_type: "password", username, password });
  if (!response.ok) throw new ApiError(await problemFromResponse(response));
  const body = (await response.json()) as TokenBody;
  setAccessToken(body.access_token);
  schedule(body.expires_in);
}

/** Exchanges the refresh cookie for a new access token; one request at a time. False when there is no session. */
export function refreshAccessToken(): Promise<boolean> {
  inFlight ??= (async () => {
    try {
      const response = await requestToken({ grant_type: "refresh_token" });
      if (!response.ok) {
        setAccessToken(null);
        forgetSessionHint();
        return false;
      }
      const body = (await response.json()) as TokenBody;
      setAccessToken(body.access_token);
      schedule(body.expires_in);
      return true;
    } catch {
      return false;
    } finally {
      inFlight = null;
    }
  })();
  return inFlight;
}

export async function signOut(): Promise<void> {
  clearTimeout(refreshTimer);
  try {
    await fetch(`${AUTH}/logout`, { method: "POST", credentials: "same-origin" });
  } finally {
    setAccessToken(null);
    forgetSessionHint();
  }
}

const SESSION_HINT = "mcb_session";

/**
 * Whether a refresh cookie may exist: projects-api sets a readable "mcb_session" cookie beside the httpOnly refresh
 * cookie (same lifetime, no secret in it). Without it a page load does not ask for a refresh it would be refused.
 */
export function hasSessionHint(): boolean {
  return (
    typeof document !== "undefined" &&
    document.cookie.split(";").some((part) => part.trim().startsWith(`${SESSION_HINT}=`))
  );
}

function forgetSessionHint(): void {
  if (typeof document !== "undefined") document.cookie = `${SESSION_HINT}=; Max-Age=0; path=/; SameSite=Strict`;
}

/** On page load: renew the session from the cookie when there is one, else stay anonymous without asking. */
export function restoreSession(): Promise<boolean> {
  if (getAccessToken()) return Promise.resolve(true);
  return hasSessionHint() ? refreshAccessToken() : Promise.resolve(false);
}

export function isAuthEndpoint(url: string): boolean {
  return url.includes("/api/projects/v1/auth/token") || url.includes("/api/projects/v1/auth/logout");
}

import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";
import "@/i18n/i18n";

afterEach(() => cleanup());

// Each test starts without the session hint cookie (signedInManager() sets it).
afterEach(() => {
  if (typeof document !== "undefined") document.cookie = "mcb_session=; Max-Age=0; path=/";
});

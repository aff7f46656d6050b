import { screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { NotificationBell } from "@/components/NotificationBell";
import { setAccessToken } from "@/lib/auth/token-store";
import { json, mockApi } from "@/test/api-mock";
import { signedInManager } from "@/test/fixtures";
import { renderRoute } from "@/test/render";

afterEach(() => {
  setAccessToken(null);
  vi.unstubAllGlobals();
});

describe("NotificationBell", () => {
  it("is a link named Notifications, described by the unread count", async () => {
    mockApi({ ...signedInManager(), "GET /api/reporting/v1/notifications/unread-count": () => json({ unread: 3 }) });
    renderRoute(<NotificationBell />);
    const bell = await screen.findByRole("link", { name: "Notifications" });
    expect(bell).toHaveAttribute("href", "/notifications");
    expect(await screen.findByTestId("notification-count")).toHaveTextContent("3");
    expect(bell).toHaveAccessibleDescription("3 unread");
  });

  it("is not there for anonymous visitors", async () => {
    document.cookie = "mcb_session=; Max-Age=0; path=/";
    mockApi({});
    renderRoute(<NotificationBell />);
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByRole("link", { name: "Notifications" })).not.toBeInTheDocument();
  });
});

import { useId } from "react";
import { useTranslation } from "react-i18next";
import { NavLink } from "react-router";
import { useUnreadCount } from "@/api/notifications";
import { useSession } from "@/lib/auth/session";
import { formatNumber } from "@/lib/format";

/** The bell in the header: its name is "Notifications", the unread count is its description (and its badge). */
export function NotificationBell() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const id = useId();
  const unread = useUnreadCount(me !== null);
  if (!me) return null;
  const count = unread.data ?? 0;
  // The badge sits beside the link, not in it: the link's name stays exactly "Notifications" (its visible content is
  // the icon alone), and the count is its description.
  return (
    <span className="bell-wrap">
      <NavLink
        to="/notifications"
        className="bell"
        aria-label={t("notifications.title")}
        aria-describedby={`${id}-count`}
        data-testid="notification-bell"
      >
        <svg
          aria-hidden="true"
          width="22"
          height="22"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
        >
          <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
      </NavLink>
      {count > 0 ? (
        <span className="bell-count" aria-hidden="true" data-testid="notification-count">
          {formatNumber(i18n.language, count)}
        </span>
      ) : null}
      <span id={`${id}-count`} className="visually-hidden">
        {t("notifications.unread", { count, formatted: formatNumber(i18n.language, count) })}
      </span>
    </span>
  );
}

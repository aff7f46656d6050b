import { Suspense } from "react";
import { useTranslation } from "react-i18next";
import { NavLink, Outlet } from "react-router";
import { LanguageSwitch } from "@/components/LanguageSwitch";
import { Loading } from "@/components/Loading";
import { NotificationBell } from "@/components/NotificationBell";
import { UserMenu } from "@/components/UserMenu";
import { hasRole } from "@/lib/auth/permissions";
import { useSession } from "@/lib/auth/session";

export function AppShell() {
  const { t } = useTranslation();
  const { me } = useSession();
  const links = [
    { to: "/", label: t("nav.dashboard"), end: true },
    { to: "/funding", label: t("nav.funding") },
    { to: "/projects", label: t("nav.projects") },
    { to: "/organisations", label: t("nav.organisations") },
    { to: "/countries", label: t("nav.countries") },
    { to: "/reporting", label: t("nav.reporting") },
    // A reporter's own work (due, returned, drafts, waiting): for those who report.
    ...(hasRole(me, "reporter") ? [{ to: "/inbox", label: t("nav.inbox") }] : []),
    ...(hasRole(me, "manager") ? [{ to: "/admin", label: t("nav.admin") }] : []),
  ];
  return (
    <>
      <a className="skip-link" href="#main">
        {t("shell.skipToContent")}
      </a>
      <header className="app-header">
        <div className="brand">
          <span className="logo" aria-hidden="true" />
          <span>{t("shell.title")}</span>
        </div>
        <nav aria-label={t("nav.label")}>
          <ul className="nav">
            {links.map((link) => (
              <li key={link.to}>
                <NavLink to={link.to} end={link.end}>
                  {link.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="header-tools">
          <LanguageSwitch />
          <NotificationBell />
          <UserMenu />
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="app-footer">{t("shell.footer")}</footer>
    </>
  );
}

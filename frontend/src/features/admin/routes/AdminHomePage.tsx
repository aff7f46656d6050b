import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { RequireRole } from "@/components/RequireRole";
import { isAdmin, isGlobalManager } from "@/lib/auth/admin-permissions";
import { hasRole } from "@/lib/auth/permissions";
import { useSession } from "@/lib/auth/session";
import "@/features/admin/components/admin.css";

/** The administration screens each signed-in manager or admin may use, with what each is for. */
export function AdminHomePage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const cards = [
    { to: "/admin/indicators", key: "indicators", show: true },
    { to: "/organisations", key: "organisations", show: hasRole(me, "manager") },
    { to: "/admin/exchange-rates", key: "rates", show: isAdmin(me) },
    { to: "/admin/users", key: "users", show: isAdmin(me) },
    { to: "/admin/api-clients", key: "clients", show: isAdmin(me) },
  ].filter((c) => c.show);
  return (
    <RequireRole allowed={(m) => hasRole(m, "manager")} why={t("admin.managersOnly")}>
      <div className="page admin">
        <h1>{t("admin.title")}</h1>
        <p className="muted">
          {isAdmin(me)
            ? t("admin.introAdmin")
            : isGlobalManager(me)
              ? t("admin.introGlobalManager")
              : t("admin.introManager")}
        </p>
        <ul className="admin-cards">
          {cards.map((c) => (
            <li key={c.key}>
              <Link className="card" to={c.to}>
                <h2>{t(`admin.cards.${c.key}.title`)}</h2>
                <p>{t(`admin.cards.${c.key}.body`)}</p>
              </Link>
            </li>
          ))}
        </ul>
        <p className="muted small">{t("admin.frameworkNote")}</p>
      </div>
    </RequireRole>
  );
}

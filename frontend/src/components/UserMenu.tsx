import { useTranslation } from "react-i18next";
import { useCountryName } from "@/i18n/names";
import { Link, useLocation, useNavigate } from "react-router";
import { grantScope } from "@/lib/auth/permissions";
import { useSession } from "@/lib/auth/session";

/** Who is signed in: name, each role with its scope, and sign out. */
export function UserMenu() {
  const { t } = useTranslation();
  const { status, me, logout } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const countryName = useCountryName();
  if (status === "restoring") return <span className="muted">{t("common.loading")}</span>;
  if (!me) {
    return (
      <Link
        className="button"
        to="/login"
        state={location.pathname === "/login" ? location.state : { from: `${location.pathname}${location.search}` }}
      >
        {t("auth.signIn")}
      </Link>
    );
  }
  return (
    <div className="user-menu" data-testid="user-menu">
      <div>
        <strong>{me.name}</strong>
        <ul className="grants" aria-label={t("auth.grants")}>
          {me.grants.map((grant, index) => {
            const scope = grantScope(grant);
            const where =
              scope.kind === "global"
                ? t("auth.scopeGlobal")
                : scope.kind === "country"
                  ? t("auth.scopeCountry", { country: countryName(scope.code) })
                  : t("auth.scopeOrganisation", {
                      organisation: grant.organisation_acronym ?? grant.organisation_name ?? scope.id.slice(0, 8),
                    });
            return (
              <li key={index}>
                {t(`roles.${grant.role}`)} · {where}
              </li>
            );
          })}
          {me.grants.length === 0 ? <li>{t("roles.none")}</li> : null}
        </ul>
      </div>
      <button
        type="button"
        onClick={() => {
          void logout().then(() => navigate("/"));
        }}
      >
        {t("auth.signOut")}
      </button>
    </div>
  );
}

import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";
import { useSession } from "@/lib/auth/session";
import { highestRole } from "@/lib/auth/permissions";
import { ApiError } from "@/lib/problem";

/** Shows what went wrong in words: a 403 says why and who you are signed in as, never a blank page. */
export function ErrorPanel({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const { me, status: session } = useSession();
  const location = useLocation();
  const status = error instanceof ApiError ? error.status : 0;
  const detail = error instanceof ApiError ? error.problem.detail || error.problem.title : null;

  if (status === 401) {
    return (
      <div role="alert" className="panel panel-warning">
        <h2>{t("errors.unauthorised.title")}</h2>
        <p>{t("errors.unauthorised.body")}</p>
        <Link to="/login">{t("auth.signIn")}</Link>
      </div>
    );
  }
  if (status === 403) {
    const role = highestRole(me);
    return (
      <div role="alert" className="panel panel-warning">
        <h2>{t("errors.forbidden.title")}</h2>
        <p>{t("errors.forbidden.body")}</p>
        {detail ? <p className="muted">{detail}</p> : null}
        <p>
          {me
            ? t("errors.forbidden.signedInAs", { name: me.name, role: role ? t(`roles.${role}`) : t("roles.none") })
            : t("errors.forbidden.signIn")}
        </p>
      </div>
    );
  }
  if (status === 404) {
    // Things that are not public are "not found" for anonymous callers (their existence is not revealed): signing in
    // may show them, so a signed-out reader is offered that, and comes back here afterwards.
    const signedOut = !me && session !== "restoring";
    return (
      <div role="alert" className="panel panel-warning">
        <h2>{t("errors.notFound.title")}</h2>
        <p>{signedOut ? t("errors.notFound.signedOut") : t("errors.notFound.body")}</p>
        {signedOut ? (
          <Link to="/login" state={{ from: `${location.pathname}${location.search}${location.hash}` }}>
            {t("auth.signIn")}
          </Link>
        ) : null}
      </div>
    );
  }
  return (
    <div role="alert" className="panel panel-error">
      <h2>{t("errors.generic.title")}</h2>
      <p>{detail ?? (error instanceof Error ? error.message : t("errors.generic.body"))}</p>
    </div>
  );
}

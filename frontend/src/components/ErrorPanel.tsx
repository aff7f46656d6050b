import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useSession } from "@/lib/auth/session";
import { highestRole } from "@/lib/auth/permissions";
import { ApiError } from "@/lib/problem";

/** Shows what went wrong in words: a 403 says why and who you are signed in as, never a blank page. */
export function ErrorPanel({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const { me } = useSession();
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
    return (
      <div role="alert" className="panel panel-warning">
        <h2>{t("errors.notFound.title")}</h2>
        <p>{detail ?? t("errors.notFound.body")}</p>
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

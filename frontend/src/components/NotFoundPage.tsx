import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";

/** Any address the app has no page for: says so in words, with the way back (not "Something went wrong"). */
export function NotFoundPage() {
  const { t } = useTranslation();
  const location = useLocation();
  return (
    <div className="page">
      <h1>{t("errors.pageNotFound.title")}</h1>
      <p>{t("errors.pageNotFound.body")}</p>
      <p className="muted">
        <code>{location.pathname}</code>
      </p>
      <p>
        <Link to="/">{t("nav.dashboard")}</Link> · <Link to="/projects">{t("nav.projects")}</Link>
      </p>
    </div>
  );
}

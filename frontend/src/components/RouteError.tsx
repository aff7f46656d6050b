import { useTranslation } from "react-i18next";
import { isRouteErrorResponse, Link, useRouteError } from "react-router";
import { ErrorPanel } from "@/components/ErrorPanel";

export function RouteError() {
  const error = useRouteError();
  const { t } = useTranslation();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <div className="page">
        <h1>{t("errors.pageNotFound.title")}</h1>
        <p>{t("errors.pageNotFound.body")}</p>
        <Link to="/">{t("nav.dashboard")}</Link>
      </div>
    );
  }
  return (
    <div className="page">
      <ErrorPanel error={error} />
    </div>
  );
}

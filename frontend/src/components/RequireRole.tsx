import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useLocation } from "react-router";
import { ErrorPanel } from "@/components/ErrorPanel";
import { Loading } from "@/components/Loading";
import type { Me } from "@/lib/auth/me";
import { useSession } from "@/lib/auth/session";
import { ApiError } from "@/lib/problem";

/**
 * A page for some callers only: signed-out people are sent to sign in (and back), others are told why not before they
 * fill in anything. The API checks again on every request; this only saves a wasted form.
 */
export function RequireRole({
  allowed,
  why,
  children,
}: {
  allowed: (me: Me) => boolean;
  why: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const { me, status } = useSession();
  const location = useLocation();
  if (status === "restoring") return <Loading />;
  if (!me) return <Navigate to="/login" state={{ from: `${location.pathname}${location.search}` }} replace />;
  if (!allowed(me)) {
    return (
      <div className="page">
        <ErrorPanel error={new ApiError({ title: t("errors.forbidden.title"), status: 403, detail: why })} />
      </div>
    );
  }
  return <>{children}</>;
}

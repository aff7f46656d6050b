import { useTranslation } from "react-i18next";
import { ErrorPanel } from "@/components/ErrorPanel";
import { ApiError, fieldErrors } from "@/lib/problem";

/**
 * What a save's problem+json means for a form: a 412 says someone else saved first and offers the latest version,
 * a 401/403 is explained, field errors are counted here and shown beside their fields.
 */
export function FormProblem({ error, onReload, what }: { error: unknown; onReload?: () => void; what?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (!(error instanceof ApiError)) return <ErrorPanel error={error} />;
  const { problem } = error;
  if (problem.status === 412 || problem.status === 428) {
    return (
      <div role="alert" className="panel panel-warning" data-testid="conflict">
        <h3>{t("form.recordConflictTitle", { what: what ?? t("form.thisRecord") })}</h3>
        <p>{t("form.recordConflictBody")}</p>
        {onReload ? (
          <button type="button" onClick={onReload}>
            {t("form.reloadLatest")}
          </button>
        ) : null}
      </div>
    );
  }
  if (problem.status === 401 || problem.status === 403 || problem.status === 404) return <ErrorPanel error={error} />;
  const errors = fieldErrors(problem);
  return (
    <div role="alert" className="panel panel-error">
      <p>{problem.errors?.length ? t("form.fixErrors", { count: problem.errors.length }) : (problem.detail ?? problem.title)}</p>
      {errors._form ? <p>{errors._form}</p> : null}
    </div>
  );
}

import { useTranslation } from "react-i18next";
import { ErrorPanel } from "@/components/ErrorPanel";
import { localFieldErrors } from "@/lib/field-messages";
import { ApiError, type Problem } from "@/lib/problem";

/** Someone else saved first: says so and offers to load the latest version. */
export function ConflictPanel({
  title,
  body,
  onReload,
  level = "h3",
}: {
  title: string;
  body: string;
  onReload?: () => void;
  level?: "h2" | "h3";
}) {
  const { t } = useTranslation();
  const Heading = level;
  return (
    <div role="alert" className="panel panel-warning" data-testid="conflict">
      <Heading>{title}</Heading>
      <p>{body}</p>
      {onReload ? (
        <button type="button" onClick={onReload}>
          {t("form.reloadLatest")}
        </button>
      ) : null}
    </div>
  );
}

/** A rejected save: how many fields to fix (or the problem's detail), and an error about the form as a whole. */
export function ProblemSummary({ problem, formError }: { problem: Problem; formError?: string }) {
  const { t } = useTranslation();
  return (
    <div role="alert" className="panel panel-error">
      <p>
        {problem.errors?.length
          ? t("form.fixErrors", { count: problem.errors.length })
          : (problem.detail ?? problem.title)}
      </p>
      {formError ? <p>{formError}</p> : null}
    </div>
  );
}

/**
 * What a save's problem+json means for a form: a 412 says someone else saved first and offers the latest version,
 * a 401/403 is explained, field errors are counted here and shown beside their fields.
 */
export function FormProblem({ error, onReload, what }: { error: unknown; onReload?: () => void; what?: string }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  if (!(error instanceof ApiError)) return <ErrorPanel error={error} />;
  const { problem } = error;
  if (problem.status === 412 || problem.status === 428) {
    return (
      <ConflictPanel
        title={t("form.recordConflictTitle", { what: what ?? t("form.thisRecord") })}
        body={t("form.recordConflictBody")}
        onReload={onReload}
      />
    );
  }
  if (problem.status === 401 || problem.status === 403 || problem.status === 404) return <ErrorPanel error={error} />;
  return <ProblemSummary problem={problem} formError={localFieldErrors(problem, t, i18n.language)._form} />;
}

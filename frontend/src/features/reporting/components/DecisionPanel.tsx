import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { FormProblem } from "@/components/FormProblem";
import { useDecision, type VersionedReport } from "@/features/reporting/api/report";

export type Decided = "approved" | "returned" | null;

/**
 * The approver's step: approve, or return to the reporters with a comment (required). Once decided it stays in place
 * saying so (with focus), instead of vanishing from under the keyboard.
 */
export function DecisionPanel({
  data,
  decided,
  onDecided,
}: {
  data: VersionedReport;
  decided: Decided;
  onDecided: (d: Decided) => void;
}) {
  const { t } = useTranslation();
  const decide = useDecision(data.report.id);
  const [comment, setComment] = useState("");
  const done = useRef<HTMLParagraphElement>(null);
  const run = (approve: boolean) =>
    decide.mutate(
      { etag: data.etag, approve, comment: comment.trim() || null },
      {
        onSuccess: () => {
          onDecided(approve ? "approved" : "returned");
          setComment("");
          setTimeout(() => done.current?.focus(), 0);
        },
      },
    );
  return (
    <section className="card" aria-labelledby="decide-h">
      <h2 id="decide-h">{t("reports.decision")}</h2>
      <FormProblem error={decide.error} what={t("reports.wholeReport")} />
      <p ref={done} role="status" tabIndex={-1} className={decided ? "panel panel-ok" : "visually-hidden"}>
        {decided ? t(`reports.decided.${decided}`) : ""}
      </p>
      {decided ? null : (
        <>
          <div className="field">
            <label htmlFor="decision-comment">{t("reports.comment")}</label>
            <textarea id="decision-comment" rows={3} value={comment} onChange={(e) => setComment(e.target.value)} />
          </div>
          <div className="form-actions">
            <button type="button" className="primary" disabled={decide.isPending} onClick={() => run(true)}>
              {t("reports.approve")}
            </button>
            <button
              type="button"
              disabled={decide.isPending || !comment.trim()}
              title={comment.trim() ? undefined : t("reports.returnNeedsComment")}
              onClick={() => run(false)}
            >
              {t("reports.return")}
            </button>
          </div>
          {!comment.trim() ? <p className="hint">{t("reports.returnNeedsComment")}</p> : null}
        </>
      )}
    </section>
  );
}

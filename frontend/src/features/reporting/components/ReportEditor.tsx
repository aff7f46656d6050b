import { useEffect, useEffectEvent, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import type { Framework } from "@/api/reporting";
import { useProjectAccess } from "@/api/projects";
import { ErrorPanel } from "@/components/ErrorPanel";
import { Loading } from "@/components/Loading";
import { UnsavedChangesGuard } from "@/components/UnsavedChangesGuard";
import { useSession } from "@/lib/auth/session";
import { fieldMessage } from "@/lib/field-messages";
import { ApiError } from "@/lib/problem";
import {
  reportQueryOptions,
  usePreviousValues,
  useReportChanges,
  useSaveDraft,
  useSubmitReport,
  type Indicator,
  type VersionedReport,
} from "@/features/reporting/api/report";
import { Attachments } from "@/features/reporting/components/Attachments";
import { ChangesSinceSubmission } from "@/features/reporting/components/ChangesSinceSubmission";
import { DecisionPanel, type Decided } from "@/features/reporting/components/DecisionPanel";
import {
  cellsFromReport,
  changedValues,
  flagsFromReport,
  frameworkForPeriod,
  invalidCells,
  type Cells,
  type Flags,
} from "@/features/reporting/components/grid-model";
import { ReportGrid, type PreviousValues } from "@/features/reporting/components/ReportGrid";

/** How long typing pauses before a draft saves itself. */
const AUTOSAVE_MS = 1500;

/** The API's refusal of a save or a submission, in the user's language, by indicator. */
function RefusalPanel({
  error,
  framework,
  heading,
  onReload,
}: {
  error: unknown;
  framework: Framework;
  heading: string;
  onReload: () => void;
}) {
  const { t, i18n } = useTranslation();
  if (!(error instanceof ApiError)) return error ? <ErrorPanel error={error} /> : null;
  const { problem } = error;
  if (problem.status === 401 || problem.status === 403) return <ErrorPanel error={error} />;
  if (problem.status === 412 || problem.status === 428) {
    return (
      <div role="alert" className="panel panel-warning" data-testid="report-problem">
        <p>{t("reports.conflict")}</p>
        <p>{t("reports.keptEdits")}</p>
        <button type="button" onClick={onReload}>
          {t("form.reloadLatest")}
        </button>
      </div>
    );
  }
  const names = new Map(
    framework.results.flatMap((r) => r.indicators.map((pi) => [pi.indicator.code, pi.indicator.name] as const)),
  );
  const items = (problem.errors ?? []).map((e) => {
    const code = /^(?:body\.)?values\[([^\]|]+)/.exec(e.field)?.[1];
    return `${code ? `${names.get(code) ?? code}: ` : ""}${fieldMessage(e, t, i18n.language)}`;
  });
  return (
    <div role="alert" className="panel panel-error" data-testid="report-problem" tabIndex={-1}>
      {problem.status === 409 && problem.errors?.some((e) => e.code === "overlap") ? (
        <p>
          <strong>{t("reports.overlapTitle")}</strong>
        </p>
      ) : null}
      <p>{heading}</p>
      {items.length ? (
        <ul>
          {items.map((item, i) => (
            <li key={i}>{item}</li>
          ))}
        </ul>
      ) : (
        <p>{t("errors.generic.body")}</p>
      )}
    </div>
  );
}

/** The report's warnings: periods outside the project's dates or not ended yet, outliers, incomplete breakdowns. */
function Warnings({ warnings }: { warnings: VersionedReport["report"]["warnings"] }) {
  const { t } = useTranslation();
  if (!warnings.length) return null;
  return (
    <div role="status" className="panel panel-warning" data-testid="report-warnings">
      <p>
        <strong>{t("reports.warnings", { count: warnings.length })}</strong>
      </p>
      <ul>
        {warnings.map((w, i) => (
          <li key={i}>{w.message}</li>
        ))}
      </ul>
    </div>
  );
}

/** The framework's indicators that are reported at another frequency than this report's period (not in its grid). */
function OtherFrequencies({
  indicators,
  period,
}: {
  indicators: Framework["results"][number]["indicators"];
  period: string;
}) {
  const { t } = useTranslation();
  if (!indicators.length) return null;
  return (
    <div className="muted" data-testid="other-frequencies">
      <p>{t("reports.otherFrequencies", { period })}</p>
      <ul>
        {indicators.map((pi) => (
          <li key={pi.id}>
            {t("reports.reportedBy", { indicator: pi.indicator.name, frequency: t(`frequencies.${pi.frequency}`) })}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The API's refusal, by project indicator (shown beside its row). */
function errorsByIndicator(
  error: unknown,
  framework: Framework,
  t: Parameters<typeof fieldMessage>[1],
  language: string,
): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const ids = new Map(framework.results.flatMap((r) => r.indicators.map((pi) => [pi.indicator.code, pi.id] as const)));
  const out: Record<string, string> = {};
  for (const e of error.problem.errors ?? []) {
    const code = /^(?:body\.)?values\[([^\]|]+)/.exec(e.field)?.[1];
    const id = code ? ids.get(code) : undefined;
    if (id) out[id] = [out[id], fieldMessage(e, t, language)].filter(Boolean).join(" ");
  }
  return out;
}

/** Local edits over the report as stored: what the user typed and has not been saved yet, nothing else. */
function withoutSaved<T>(edits: Record<string, T>, sent: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(edits).filter(([key, value]) => !(key in sent) || sent[key] !== value));
}

/**
 * The report's values, narrative and workflow. It stays mounted across saves (the saved report replaces the cached one
 * in place), so keyboard focus and the "Saved." message survive; the user's edits are an overlay on the stored values,
 * saved by themselves after a pause (autosave) or with "Save draft", and sent with "Submit", which the API applies only
 * if the submission is accepted.
 */
export function ReportEditor({
  data,
  framework,
  indicators,
}: {
  data: VersionedReport;
  framework: Framework;
  indicators: Map<string, Indicator>;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const { me } = useSession();
  const client = useQueryClient();
  const { report, etag } = data;
  const access = useProjectAccess(report.project_id, me !== null);
  const previous = usePreviousValues(report.id);
  const save = useSaveDraft(report.id);
  const submit = useSubmitReport(report.id);
  const status = useRef<HTMLParagraphElement>(null);
  const [edits, setEdits] = useState<Cells>({});
  const [flagEdits, setFlagEdits] = useState<Flags>({});
  const [narrativeEdit, setNarrativeEdit] = useState<string | null>(null);
  const [savedAt, setSavedAt] = useState<Date | null>(null);
  const [submittedNow, setSubmittedNow] = useState(false);
  const [decided, setDecided] = useState<Decided>(null);

  const editable = (report.status === "draft" || report.status === "returned") && access.data?.can_report === true;
  const decidable = report.status === "submitted" && access.data?.can_approve === true;
  const changes = useReportChanges(report.id, report.status === "submitted" && me !== null);

  const stored = useMemo(() => cellsFromReport(report), [report]);
  const storedFlags = useMemo(() => flagsFromReport(report), [report]);
  const cells = { ...stored, ...edits };
  const flags = { ...storedFlags, ...flagEdits };
  const narrative = narrativeEdit ?? report.narrative ?? "";
  const textIds = new Set(
    framework.results.flatMap((r) =>
      r.indicators.filter((pi) => indicators.get(pi.indicator.id)?.measure === "qualitative").map((pi) => pi.id),
    ),
  );
  const isText = (id: string) => textIds.has(id);
  const values = changedValues(stored, cells, { isText, flagsBefore: storedFlags, flagsAfter: flags, language });
  const narrativeChanged = narrative !== (report.narrative ?? "");
  const invalid = new Set(invalidCells(edits, isText, language));
  const busy = save.isPending || submit.isPending;
  const dirty = values.length > 0 || narrativeChanged || invalid.size > 0;

  const { shown: gridFramework, elsewhere } = useMemo(() => frameworkForPeriod(framework, report), [framework, report]);
  const indicatorNames = new Map(
    framework.results.flatMap((r) => r.indicators.map((pi) => [pi.id, pi.indicator.name] as const)),
  );
  const previousValues: PreviousValues = new Map();
  for (const v of previous.data?.values ?? []) {
    const key = `${v.project_indicator_id}|${v.disaggregation_key}`;
    previousValues.set(key, [
      ...(previousValues.get(key) ?? []),
      { period: v.period, value: v.value ?? v.text_value ?? "" },
    ]);
  }
  const changed = new Set((changes.data?.values ?? []).map((c) => `${c.project_indicator_id}|${c.disaggregation_key}`));

  function saveDraft() {
    if (!editable || busy || (values.length === 0 && !narrativeChanged)) return;
    const sentCells = { ...edits };
    const sentFlags = { ...flagEdits };
    const sentNarrative = narrativeEdit;
    save.mutate(
      { etag, narrative: narrativeChanged ? narrative || null : undefined, values },
      {
        onSuccess: () => {
          // What was saved is now the stored value; what was typed meanwhile stays an edit.
          setEdits((current) => withoutSaved(current, sentCells));
          setFlagEdits((current) => withoutSaved(current, sentFlags));
          setNarrativeEdit((current) => (current === sentNarrative ? null : current));
          setSavedAt(new Date());
        },
      },
    );
  }

  function submitReport() {
    if (busy) return;
    save.reset();
    submit.mutate(
      { etag, narrative: narrativeChanged ? narrative || null : undefined, values },
      {
        onSuccess: () => {
          setEdits({});
          setFlagEdits({});
          setNarrativeEdit(null);
          setSubmittedNow(true);
          status.current?.focus();
        },
      },
    );
  }

  // Autosave: a pause in typing saves the draft (values that are not numbers wait until they are).
  const autosave = useEffectEvent(() => saveDraft());
  const pending = JSON.stringify([values, narrativeChanged ? narrative : null]);
  useEffect(() => {
    if (
      !editable ||
      pending === JSON.stringify([[], null]) ||
      save.isPending ||
      submit.isPending ||
      save.isError ||
      submit.isError
    )
      return;
    const timer = setTimeout(() => autosave(), AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [pending, editable, save.isPending, submit.isPending, save.isError, submit.isError]);

  const reload = () => {
    save.reset();
    submit.reset();
    void client.invalidateQueries({ queryKey: reportQueryOptions(report.id).queryKey });
  };
  const rowErrors = errorsByIndicator(submit.error ?? save.error, framework, t, language);
  // Until projects-api says what the signed-in user may do here, nothing is shown as read-only that may turn editable.
  if (me && access.isPending) return <Loading />;
  const time = savedAt ? new Intl.DateTimeFormat(language, { timeStyle: "short" }).format(savedAt) : "";

  return (
    <>
      <UnsavedChangesGuard when={editable && dirty} />
      <RefusalPanel error={submit.error} framework={framework} heading={t("reports.notSubmitted")} onReload={reload} />
      <RefusalPanel error={save.error} framework={framework} heading={t("reports.notSaved")} onReload={reload} />
      <Warnings warnings={report.warnings} />
      <p
        ref={status}
        role="status"
        className={savedAt || submittedNow || save.isPending ? "panel panel-ok" : "visually-hidden"}
        tabIndex={-1}
        data-testid="save-status"
      >
        {save.isPending
          ? t("reports.saving")
          : submittedNow
            ? t("reports.submittedNow")
            : savedAt
              ? `${t("reports.saved")} ${t("reports.savedAt", { time })}`
              : ""}
      </p>
      {report.comment ? (
        <div className="panel panel-warning" data-testid="return-comment">
          <strong>{t("reports.comment")}:</strong> {report.comment}
        </div>
      ) : null}
      {decidable && changes.data ? (
        <ChangesSinceSubmission changes={changes.data} indicatorNames={indicatorNames} />
      ) : null}
      <section className="card" aria-labelledby="values-h">
        <h2 id="values-h">{t("reports.values")}</h2>
        {editable ? <p className="muted">{t("reports.autosaved")}</p> : null}
        <ReportGrid
          framework={gridFramework}
          indicators={indicators}
          cells={cells}
          flags={flags}
          errors={rowErrors}
          readOnly={!editable}
          previous={previousValues}
          changed={decidable ? changed : undefined}
          invalid={invalid}
          onChange={(key, value) => {
            submit.reset();
            save.reset();
            setEdits((current) => ({ ...current, [key]: value }));
          }}
          onFlag={(id, incomplete) => setFlagEdits((current) => ({ ...current, [id]: incomplete }))}
        />
        <OtherFrequencies indicators={elsewhere} period={report.period} />
        <div className="field wide">
          <label htmlFor="narrative">{t("reports.narrative")}</label>
          {editable ? (
            <textarea id="narrative" rows={5} value={narrative} onChange={(e) => setNarrativeEdit(e.target.value)} />
          ) : (
            <p id="narrative" className="cell-readonly text">
              {narrative || "—"}
            </p>
          )}
        </div>
        {editable ? (
          // aria-disabled, not disabled: a button that is disabled under the keyboard's focus (while saving, or when
          // nothing is left to save) drops the focus to the page's body.
          <div className="form-actions">
            <button
              type="button"
              onClick={saveDraft}
              aria-disabled={busy || (values.length === 0 && !narrativeChanged)}
            >
              {t("reports.saveDraft")}
            </button>
            <button type="button" className="primary" onClick={submitReport} aria-disabled={busy}>
              {t("reports.submit")}
            </button>
          </div>
        ) : null}
        {!editable && !decidable && me && report.status !== "approved" ? (
          <p className="muted">{t("reports.readOnly")}</p>
        ) : null}
      </section>
      <Attachments reportId={report.id} attachments={report.attachments} editable={editable} />
      {decidable || decided ? <DecisionPanel data={data} decided={decided} onDecided={setDecided} /> : null}
    </>
  );
}

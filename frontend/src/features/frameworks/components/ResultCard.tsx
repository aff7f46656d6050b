import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Field } from "@/components/Field";
import { FormActions } from "@/components/FormActions";
import { FormProblem } from "@/components/FormProblem";
import { Select } from "@/components/Select";
import { useCodeName } from "@/i18n/names";
import { formatDate, formatNumber } from "@/lib/format";
import { errorFieldErrors } from "@/lib/problem";
import {
  useDeleteResult,
  useRemoveIndicator,
  useUpdateResult,
  type ProjectIndicator,
  type Result,
  type ResultCreate,
} from "@/features/frameworks/api/framework";
import { IndicatorEditor } from "@/features/frameworks/components/IndicatorEditor";

export const KINDS: ResultCreate["kind"][] = ["output", "outcome", "impact"];

/** A result's kind, title and description (a new result, or a change to one). */
export function ResultFields({
  initial,
  busy,
  error,
  heading,
  onSubmit,
  onCancel,
}: {
  initial: { kind: ResultCreate["kind"]; title: string; description: string };
  busy: boolean;
  error: unknown;
  heading: string;
  onSubmit: (value: { kind: ResultCreate["kind"]; title: string; description: string | null }) => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const [kind, setKind] = useState(initial.kind);
  const [title, setTitle] = useState(initial.title);
  const [description, setDescription] = useState(initial.description);
  const errors = errorFieldErrors(error);
  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit({ kind, title: title.trim(), description: description.trim() || null });
  }
  return (
    <form className="result-form" onSubmit={submit} aria-label={heading} noValidate>
      <FormProblem error={error} />
      <div className="row-fields">
        <Field label={t("framework.kind")} error={errors.kind} className="narrow">
          <Select
            value={kind}
            onChange={(e) => setKind(e.target.value as ResultCreate["kind"])}
            options={KINDS.map((k) => ({ value: k, label: t(`framework.kinds.${k}`) }))}
          />
        </Field>
        <Field label={t("framework.resultTitle")} error={errors.title}>
          <input value={title} onChange={(e) => setTitle(e.target.value)} />
        </Field>
      </div>
      <Field label={t("fields.description")} error={errors.description}>
        <textarea rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
      <FormActions
        busy={busy}
        cancel={
          onCancel ? (
            <button type="button" onClick={onCancel}>
              {t("common.cancel")}
            </button>
          ) : null
        }
      />
    </form>
  );
}

function Targets({ pi }: { pi: ProjectIndicator }) {
  const { t, i18n } = useTranslation();
  const dimensionName = useCodeName("dimensions");
  const valueName = useCodeName("dimensionValues");
  if (pi.targets.length === 0) return <p className="muted small">{t("framework.noTargets")}</p>;
  return (
    <table className="data-table compact targets-table">
      <caption className="visually-hidden">{t("framework.targetsOf", { name: pi.indicator.name })}</caption>
      <thead>
        <tr>
          <th scope="col">{t("framework.period")}</th>
          <th scope="col">{t("framework.for")}</th>
          <th scope="col" className="num">
            {t("framework.target")}
          </th>
        </tr>
      </thead>
      <tbody>
        {pi.targets.map((target, i) => (
          <tr key={i}>
            <td>{target.period ?? t("framework.wholeProject")}</td>
            <td>
              {Object.entries(target.disaggregation ?? {})
                .map(([dim, value]) => `${dimensionName(dim)}: ${valueName(`${dim}.${value}`, value)}`)
                .join(", ") || t("framework.total")}
            </td>
            <td className="num">{formatNumber(i18n.language, target.value, 4)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One result with its indicators: change or delete it, add indicators from the catalogue, set baselines and targets. */
export function ResultCard({ projectId, result }: { projectId: string; result: Result }) {
  const { t, i18n } = useTranslation();
  const [editing, setEditing] = useState<"result" | "new-indicator" | string | null>(null);
  const update = useUpdateResult(projectId);
  const remove = useDeleteResult(projectId);
  const removeIndicator = useRemoveIndicator(projectId);
  const headingId = `result-${result.id}`;
  return (
    <section className="card result-card" aria-labelledby={headingId}>
      <div className="section-header">
        <h2 id={headingId}>
          <span className="badge">{t(`framework.kinds.${result.kind}`)}</span> {result.title}
        </h2>
        <div className="actions">
          <button
            type="button"
            onClick={() => setEditing(editing === "result" ? null : "result")}
            aria-expanded={editing === "result"}
          >
            {t("framework.editResult")}
          </button>
          <button
            type="button"
            className="link-button"
            disabled={remove.isPending}
            onClick={() => {
              if (window.confirm(t("common.confirmDelete", { what: result.title }))) remove.mutate(result);
            }}
          >
            {t("framework.deleteResult")}
          </button>
        </div>
      </div>
      <FormProblem error={remove.error} />
      {result.description ? <p className="description">{result.description}</p> : null}
      {editing === "result" ? (
        <ResultFields
          initial={{ kind: result.kind, title: result.title, description: result.description ?? "" }}
          busy={update.isPending}
          error={update.error}
          heading={t("framework.editResult")}
          onSubmit={(body) => update.mutate({ result, body }, { onSuccess: () => setEditing(null) })}
          onCancel={() => {
            update.reset();
            setEditing(null);
          }}
        />
      ) : null}
      <h3>{t("framework.indicators")}</h3>
      {result.indicators.length === 0 ? <p className="muted">{t("framework.noIndicators")}</p> : null}
      <ul className="indicator-list">
        {result.indicators.map((pi) => (
          <li key={pi.id} data-testid="framework-indicator">
            <p>
              <strong>{pi.indicator.name}</strong> <span className="code">{pi.indicator.code}</span>
            </p>
            <p className="muted small">
              {t("framework.baselineIs", {
                value:
                  pi.baseline_value === null || pi.baseline_value === undefined
                    ? "—"
                    : formatNumber(i18n.language, pi.baseline_value, 4),
                date: formatDate(i18n.language, pi.baseline_date),
              })}
            </p>
            <Targets pi={pi} />
            <div className="row-actions">
              <button
                type="button"
                onClick={() => setEditing(editing === pi.id ? null : pi.id)}
                aria-expanded={editing === pi.id}
              >
                {t("framework.editIndicatorShort", { name: pi.indicator.name })}
              </button>
              <button
                type="button"
                className="link-button"
                disabled={removeIndicator.isPending}
                onClick={() => {
                  if (window.confirm(t("common.confirmDelete", { what: pi.indicator.name })))
                    removeIndicator.mutate(pi.id);
                }}
              >
                {t("framework.removeIndicator", { name: pi.indicator.name })}
              </button>
            </div>
            {editing === pi.id ? (
              <IndicatorEditor
                projectId={projectId}
                resultId={result.id}
                current={pi}
                onDone={() => setEditing(null)}
              />
            ) : null}
          </li>
        ))}
      </ul>
      <FormProblem error={removeIndicator.error} />
      {editing === "new-indicator" ? (
        <IndicatorEditor
          projectId={projectId}
          resultId={result.id}
          position={result.indicators.length}
          onDone={() => setEditing(null)}
        />
      ) : (
        <button type="button" onClick={() => setEditing("new-indicator")}>
          {t("framework.addIndicatorTo", { title: result.title })}
        </button>
      )}
    </section>
  );
}

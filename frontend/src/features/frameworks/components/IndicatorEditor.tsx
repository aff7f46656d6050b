import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Field } from "@/components/Field";
import { FormActions } from "@/components/FormActions";
import { FormProblem } from "@/components/FormProblem";
import { Select } from "@/components/Select";
import { useCodeName } from "@/i18n/names";
import { errorFieldErrors } from "@/lib/problem";
import {
  useAddIndicator,
  useCatalogue,
  useUpdateIndicator,
  type ProjectIndicator,
} from "@/features/frameworks/api/framework";
import {
  decimal,
  partChoices,
  rowsFromTargets,
  targetsFromRows,
  type TargetRow,
} from "@/features/frameworks/components/targets-model";

interface Props {
  projectId: string;
  resultId: string;
  /** The framework indicator being changed; none to add one from the catalogue. */
  current?: ProjectIndicator;
  /** Where a new indicator goes among the result's (after the last). */
  position?: number;
  onDone: () => void;
}

/** An indicator of a result: chosen from the catalogue, with its baseline and its targets per period and per value. */
export function IndicatorEditor({ projectId, resultId, current, position = 0, onDone }: Props) {
  const { t } = useTranslation();
  const catalogue = useCatalogue();
  const add = useAddIndicator(projectId);
  const update = useUpdateIndicator(projectId);
  const mutation = current ? update : add;
  const dimensionName = useCodeName("dimensions");
  const valueName = useCodeName("dimensionValues");
  const [indicatorId, setIndicatorId] = useState(current?.indicator.id ?? "");
  const [baseline, setBaseline] = useState(
    current?.baseline_value === null || current?.baseline_value === undefined
      ? ""
      : String(Number(current.baseline_value)),
  );
  const [baselineDate, setBaselineDate] = useState(current?.baseline_date ?? "");
  const [baselineNote, setBaselineNote] = useState(current?.baseline_note ?? "");
  const [rows, setRows] = useState<TargetRow[]>(
    current ? rowsFromTargets(current) : [{ period: "", part: "", value: "" }],
  );
  const errors = errorFieldErrors(mutation.error);
  const indicator = (catalogue.data?.items ?? []).find((i) => i.id === indicatorId);
  const choices = partChoices(indicator, {
    dimension: (code, fallback) => dimensionName(code, fallback),
    value: (dim, code, fallback) => valueName(`${dim}.${code}`, fallback),
    total: t("framework.total"),
  });
  const heading = current
    ? t("framework.editIndicator", { name: current.indicator.name })
    : t("framework.addIndicator");
  const change = (index: number, patch: Partial<TargetRow>) =>
    setRows(rows.map((r, i) => (i === index ? { ...r, ...patch } : r)));

  function submit(event: FormEvent) {
    event.preventDefault();
    const common = {
      baseline_value: baseline.trim() ? decimal(baseline) : null,
      baseline_date: baselineDate || null,
      baseline_note: baselineNote.trim() || null,
      targets: targetsFromRows(rows.filter((r) => r.value.trim() || r.period.trim())),
    };
    if (current) update.mutate({ id: current.id, body: common }, { onSuccess: onDone });
    else
      add.mutate({ resultId, body: { ...common, position, indicator_id: indicatorId || null } }, { onSuccess: onDone });
  }

  return (
    <form className="subfieldset indicator-editor" onSubmit={submit} aria-label={heading} noValidate>
      <h4>{heading}</h4>
      <FormProblem error={mutation.error} />
      {current ? null : (
        <Field
          label={t("framework.indicator")}
          error={errors.indicator_id ?? errors[""] ?? errors._form}
          hint={t("framework.indicatorHint")}
        >
          <Select
            value={indicatorId}
            onChange={(e) => setIndicatorId(e.target.value)}
            empty="—"
            options={(catalogue.data?.items ?? []).map((i) => ({ value: i.id, label: `${i.name} (${i.code})` }))}
          />
        </Field>
      )}
      <div className="row-fields">
        <Field label={t("framework.baseline")} error={errors.baseline_value} className="narrow">
          <input inputMode="decimal" value={baseline} onChange={(e) => setBaseline(e.target.value)} />
        </Field>
        <Field label={t("framework.baselineDate")} error={errors.baseline_date}>
          <input type="date" value={baselineDate} onChange={(e) => setBaselineDate(e.target.value)} />
        </Field>
        <Field label={t("framework.baselineNote")} error={errors.baseline_note}>
          <input value={baselineNote} onChange={(e) => setBaselineNote(e.target.value)} />
        </Field>
      </div>
      <fieldset className="targets">
        <legend>{t("framework.targets")}</legend>
        <p className="hint">{t("framework.targetsHint")}</p>
        {errors.targets ? <p className="field-error">{errors.targets}</p> : null}
        {rows.map((row, index) => (
          <div className="row-fields" key={index} role="group" aria-label={t("framework.targetN", { n: index + 1 })}>
            <Field
              label={t("framework.period")}
              error={errors[`targets[${index}].period`]}
              hint={index === 0 ? t("framework.periodHint") : undefined}
              className="narrow"
            >
              <input value={row.period} onChange={(e) => change(index, { period: e.target.value })} />
            </Field>
            <Field label={t("framework.for")} error={errors[`targets[${index}].disaggregation`]}>
              <Select value={row.part} onChange={(e) => change(index, { part: e.target.value })} options={choices} />
            </Field>
            <Field
              label={t("framework.target")}
              error={errors[`targets[${index}].value`] ?? errors[`targets[${index}]`]}
              className="narrow"
            >
              <input inputMode="decimal" value={row.value} onChange={(e) => change(index, { value: e.target.value })} />
            </Field>
            <button type="button" className="link-button" onClick={() => setRows(rows.filter((_, i) => i !== index))}>
              {t("framework.removeTarget", { n: index + 1 })}
            </button>
          </div>
        ))}
        <button type="button" onClick={() => setRows([...rows, { period: "", part: "", value: "" }])}>
          {t("framework.addTarget")}
        </button>
      </fieldset>
      <FormActions
        busy={mutation.isPending}
        cancel={
          <button type="button" onClick={onDone}>
            {t("common.cancel")}
          </button>
        }
      />
    </form>
  );
}

import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";
import { Field } from "@/components/Field";
import { Loaded } from "@/components/forms/Loaded";
import { PageForm, type RecordPage } from "@/components/forms/PageForm";
import { RequireRole } from "@/components/RequireRole";
import { Select } from "@/components/Select";
import { useCodeName } from "@/i18n/names";
import { isGlobalManager } from "@/lib/auth/admin-permissions";
import { errorFieldErrors } from "@/lib/problem";
import {
  useCreateIndicator,
  useDeleteIndicator,
  useIndicator,
  useUpdateIndicator,
  type Indicator,
  type IndicatorCreate,
} from "@/features/admin/api/indicators";
import { DimensionsEditor, type DimensionRow } from "@/features/admin/components/DimensionsEditor";
import "@/features/admin/components/admin.css";

const PAGE: RecordPage = {
  className: "page admin",
  list: "/admin/indicators",
  words: "catalogue",
  what: "catalogue.thisIndicator",
  deleteId: "delete-indicator-h",
};

const LEVELS: IndicatorCreate["level"][] = ["output", "outcome", "impact", "context"];
const MEASURES: IndicatorCreate["measure"][] = ["number", "percent", "currency", "ratio", "qualitative"];
const AGGREGATIONS: IndicatorCreate["aggregation"][] = ["sum", "average", "latest", "maximum"];
const DIRECTIONS: IndicatorCreate["direction"][] = ["increase", "decrease"];
// Every DHIS2 period type the reporting API knows, the common ones first.
const FREQUENCIES: IndicatorCreate["frequency"][] = [
  "year",
  "semester",
  "quarter",
  "month",
  "week",
  "once",
  "financial_april",
  "financial_july",
  "financial_october",
  "financial_november",
  "six_month_april",
  "six_month_november",
  "bi_month",
  "bi_week",
  "week_wednesday",
  "week_thursday",
  "week_saturday",
  "week_sunday",
  "day",
];

type Form = Omit<IndicatorCreate, "dimensions" | "definition" | "unit" | "currency" | "source"> & {
  definition: string;
  unit: string;
  currency: string;
  source: string;
  dimensions: DimensionRow[];
};

function formOf(i?: Indicator): Form {
  return {
    code: i?.code ?? "",
    name: i?.name ?? "",
    definition: i?.definition ?? "",
    level: i?.level ?? "output",
    measure: i?.measure ?? "number",
    unit: i?.unit ?? "",
    currency: i?.currency ?? "",
    aggregation: i?.aggregation ?? "sum",
    cumulative: i?.cumulative ?? false,
    direction: i?.direction ?? "increase",
    frequency: i?.frequency ?? "quarter",
    dimensions: (i?.dimensions ?? []).map((d) => ({
      code: d.code,
      name: d.name,
      values: d.values.map((v) => ({ ...v })),
    })),
    source: i?.source ?? "",
    is_illustrative: i?.is_illustrative ?? false,
    language: i?.language ?? "en",
  };
}

function IndicatorForm({ indicator }: { indicator?: Indicator }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const levelName = useCodeName("levels");
  const measureName = useCodeName("measures");
  const create = useCreateIndicator();
  const update = useUpdateIndicator();
  const remove = useDeleteIndicator();
  const mutation = indicator ? update : create;
  const [form, setForm] = useState<Form>(formOf(indicator));
  const errors = errorFieldErrors(mutation.error);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm({ ...form, [key]: value });

  function submit() {
    const body = {
      name: form.name.trim(),
      definition: form.definition.trim() || null,
      level: form.level,
      measure: form.measure,
      unit: form.unit.trim() || null,
      currency: form.measure === "currency" ? form.currency.trim().toUpperCase() || null : null,
      aggregation: form.aggregation,
      cumulative: form.cumulative,
      direction: form.direction,
      frequency: form.frequency,
      dimensions: form.dimensions.map((d) => ({
        code: d.code.trim(),
        name: d.name.trim(),
        values: d.values.map((v) => ({ code: v.code.trim(), name: v.name.trim() })),
      })),
      source: form.source.trim() || null,
      is_illustrative: form.is_illustrative,
      language: form.language,
    };
    const done = () => navigate(PAGE.list);
    if (indicator) update.mutate({ indicator, body }, { onSuccess: done });
    else create.mutate({ ...body, code: form.code.trim() }, { onSuccess: done });
  }

  const text =
    (key: "code" | "name" | "definition" | "unit" | "currency" | "source") => (e: { target: { value: string } }) =>
      set(key, e.target.value);
  return (
    <PageForm page={PAGE} record={indicator} save={mutation} remove={remove} onSubmit={submit}>
      <fieldset className="card">
        <legend>{t("catalogue.what")}</legend>
        <div className="form-grid">
          <Field label={t("fields.code")} error={errors.code} hint={t("catalogue.codeHint")}>
            <input value={form.code} onChange={text("code")} disabled={Boolean(indicator)} />
          </Field>
          <Field label={t("fields.name")} error={errors.name} className="wide">
            <input value={form.name} onChange={text("name")} />
          </Field>
          <Field label={t("catalogue.definition")} error={errors.definition} className="wide">
            <textarea rows={3} value={form.definition} onChange={text("definition")} />
          </Field>
          <Field label={t("catalogue.level")} error={errors.level}>
            <Select
              value={form.level}
              onChange={(e) => set("level", e.target.value as Form["level"])}
              options={LEVELS.map((l) => ({ value: l, label: levelName(l) }))}
            />
          </Field>
          <Field label={t("catalogue.measure")} error={errors.measure ?? errors._form}>
            <Select
              value={form.measure}
              onChange={(e) => set("measure", e.target.value as Form["measure"])}
              options={MEASURES.map((m) => ({ value: m, label: measureName(m) }))}
            />
          </Field>
          <Field label={t("catalogue.unit")} error={errors.unit} hint={t("catalogue.unitHint")}>
            <input value={form.unit} onChange={text("unit")} />
          </Field>
          {form.measure === "currency" ? (
            <Field label={t("fields.currency")} error={errors.currency}>
              <input value={form.currency} onChange={text("currency")} maxLength={3} />
            </Field>
          ) : null}
          <Field label={t("catalogue.aggregation")} error={errors.aggregation} hint={t("catalogue.aggregationHint")}>
            <Select
              value={form.aggregation}
              onChange={(e) => set("aggregation", e.target.value as Form["aggregation"])}
              options={AGGREGATIONS.map((a) => ({ value: a, label: t(`catalogue.aggregations.${a}`) }))}
            />
          </Field>
          <Field label={t("catalogue.direction")} error={errors.direction}>
            <Select
              value={form.direction}
              onChange={(e) => set("direction", e.target.value as Form["direction"])}
              options={DIRECTIONS.map((d) => ({ value: d, label: t(`catalogue.directions.${d}`) }))}
            />
          </Field>
          <Field label={t("catalogue.frequency")} error={errors.frequency}>
            <Select
              value={form.frequency}
              onChange={(e) => set("frequency", e.target.value as Form["frequency"])}
              options={FREQUENCIES.map((f) => ({ value: f, label: t(`catalogue.frequencies.${f}`) }))}
            />
          </Field>
          <Field label={t("catalogue.source")} error={errors.source} className="wide">
            <input value={form.source} onChange={text("source")} />
          </Field>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={form.cumulative} onChange={(e) => set("cumulative", e.target.checked)} />{" "}
          {t("catalogue.cumulative")}
        </label>
      </fieldset>
      <DimensionsEditor
        rows={form.dimensions}
        onChange={(dimensions) => set("dimensions", dimensions)}
        errors={errors}
      />
    </PageForm>
  );
}

function EditIndicator({ id }: { id: string }) {
  return (
    <Loaded query={useIndicator(id)}>
      {(indicator) => <IndicatorForm key={indicator.version} indicator={indicator} />}
    </Loaded>
  );
}

/** A new catalogue indicator, or a change to one (global managers and admins). */
export function IndicatorEditPage() {
  const { indicatorId } = useParams();
  const { t } = useTranslation();
  return (
    <RequireRole allowed={isGlobalManager} why={t("catalogue.forbidden")}>
      {indicatorId ? <EditIndicator id={indicatorId} /> : <IndicatorForm />}
    </RequireRole>
  );
}

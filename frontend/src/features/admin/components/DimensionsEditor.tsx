import { useTranslation } from "react-i18next";
import { Field } from "@/components/Field";

export interface DimensionRow {
  code: string;
  name: string;
  values: { code: string; name: string }[];
}

/** An indicator's disaggregation dimensions (sex, age group, institution…), each with its allowed values. */
export function DimensionsEditor({
  rows,
  onChange,
  errors,
}: {
  rows: DimensionRow[];
  onChange: (rows: DimensionRow[]) => void;
  errors: Record<string, string>;
}) {
  const { t } = useTranslation();
  const change = (index: number, patch: Partial<DimensionRow>) =>
    onChange(rows.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  const changeValue = (index: number, v: number, patch: Partial<{ code: string; name: string }>) =>
    change(index, { values: (rows[index]?.values ?? []).map((x, j) => (j === v ? { ...x, ...patch } : x)) });
  return (
    <fieldset className="card">
      <legend>{t("catalogue.dimensions")}</legend>
      <p className="hint">{t("catalogue.dimensionsHint")}</p>
      {errors.dimensions ? <p className="field-error">{errors.dimensions}</p> : null}
      {rows.map((dim, index) => (
        <fieldset className="dimension" key={index}>
          <legend>{dim.name || t("catalogue.dimensionN", { n: index + 1 })}</legend>
          <div className="row-fields">
            <Field label={t("catalogue.dimensionCode")} error={errors[`dimensions[${index}].code`]} className="narrow">
              <input value={dim.code} onChange={(e) => change(index, { code: e.target.value })} />
            </Field>
            <Field
              label={t("catalogue.dimensionName")}
              error={errors[`dimensions[${index}].name`] ?? errors[`dimensions[${index}]`]}
            >
              <input value={dim.name} onChange={(e) => change(index, { name: e.target.value })} />
            </Field>
            <button type="button" className="link-button" onClick={() => onChange(rows.filter((_, i) => i !== index))}>
              {t("catalogue.removeDimension", { name: dim.name || index + 1 })}
            </button>
          </div>
          {dim.values.map((value, v) => (
            <div
              className="row-fields"
              key={v}
              role="group"
              aria-label={t("catalogue.valueN", { n: v + 1, dimension: dim.name || index + 1 })}
            >
              <Field
                label={t("catalogue.valueCode")}
                error={errors[`dimensions[${index}].values[${v}].code`]}
                className="narrow"
              >
                <input value={value.code} onChange={(e) => changeValue(index, v, { code: e.target.value })} />
              </Field>
              <Field label={t("catalogue.valueName")} error={errors[`dimensions[${index}].values[${v}].name`]}>
                <input value={value.name} onChange={(e) => changeValue(index, v, { name: e.target.value })} />
              </Field>
              <button
                type="button"
                className="link-button"
                onClick={() => change(index, { values: dim.values.filter((_, j) => j !== v) })}
              >
                {t("catalogue.removeValue", { name: value.name || v + 1 })}
              </button>
            </div>
          ))}
          <button type="button" onClick={() => change(index, { values: [...dim.values, { code: "", name: "" }] })}>
            {t("catalogue.addValue", { dimension: dim.name || index + 1 })}
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        onClick={() => onChange([...rows, { code: "", name: "", values: [{ code: "", name: "" }] }])}
      >
        {t("catalogue.addDimension")}
      </button>
    </fieldset>
  );
}

import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useSectors } from "@/api/reference";
import { Field } from "@/components/Field";
import { Select } from "@/components/Select";
import { sortByName, useCodeName } from "@/i18n/names";
import type { SectorRow } from "@/features/projects/components/project-form-model";

interface Props {
  rows: SectorRow[];
  onChange: (rows: SectorRow[]) => void;
  errors: Record<string, string>;
}

/** The project's DAC sectors with their shares; the shares must total 100 (checked as typed, and by the API). */
export function SectorsFieldset({ rows, onChange, errors }: Props) {
  const { t } = useTranslation();
  const sectors = useSectors();
  const sectorName = useCodeName("sectors");
  // Sorted once per list and language, not on every keystroke elsewhere in the form.
  const options = useMemo(
    () =>
      sortByName(sectors.data ?? [], (s) => sectorName(s.code, s.name)).map((s) => ({
        value: s.code,
        label: `${s.code} — ${sectorName(s.code, s.name)}`,
      })),
    [sectors.data, sectorName],
  );
  const total = rows.reduce((sum, r) => sum + (Number(r.percentage.replace(",", ".")) || 0), 0);
  const change = (index: number, patch: Partial<SectorRow>) =>
    onChange(rows.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  return (
    <fieldset className="card">
      <legend>{t("fields.sectors")}</legend>
      {errors.sectors ? <p className="field-error">{errors.sectors}</p> : null}
      {rows.length === 0 ? <p className="muted">{t("places.noSectors")}</p> : null}
      {rows.map((row, index) => (
        <div className="row-fields" key={index}>
          <Field
            label={t("fields.sector")}
            error={errors[`sectors[${index}].sector_code`] ?? errors[`sectors[${index}]`]}
          >
            <Select
              value={row.sector_code}
              onChange={(e) => change(index, { sector_code: e.target.value })}
              empty="—"
              options={options}
            />
          </Field>
          <Field label={t("places.sectorShare")} error={errors[`sectors[${index}].percentage`]} className="narrow">
            <input
              inputMode="decimal"
              value={row.percentage}
              onChange={(e) => change(index, { percentage: e.target.value })}
            />
          </Field>
          <button type="button" className="link-button" onClick={() => onChange(rows.filter((_, i) => i !== index))}>
            {t("places.removeSector", { n: index + 1 })}
          </button>
        </div>
      ))}
      {rows.length > 0 ? (
        <p className={Math.abs(total - 100) < 0.001 ? "muted" : "field-error"} aria-live="polite">
          {t("form.percentageTotal", { total })}
        </p>
      ) : null}
      <button
        type="button"
        onClick={() => onChange([...rows, { sector_code: "", percentage: rows.length ? "" : "100" }])}
      >
        {t("places.addSector")}
      </button>
    </fieldset>
  );
}

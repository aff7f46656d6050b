import { lazy, Suspense, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useCountries } from "@/api/reference";
import { Field } from "@/components/Field";
import { Loading } from "@/components/Loading";
import { Select } from "@/components/Select";
import { sortByName, useCountryName } from "@/i18n/names";
import { emptyLocation, type LocationRow } from "@/features/projects/components/project-form-model";

// The map (shapes and projection) loads when someone opens a picker, not with the form.
const PointPicker = lazy(async () => ({ default: (await import("@/maps/PointPicker")).PointPicker }));

interface Props {
  rows: LocationRow[];
  onChange: (rows: LocationRow[]) => void;
  errors: Record<string, string>;
  /** The project's countries: a new location starts in the first. */
  countries: string[];
}

/** Sub-national locations: name, area, country and a point, typed or picked on the offline map. */
export function LocationsFieldset({ rows, onChange, errors, countries }: Props) {
  const { t } = useTranslation();
  const all = useCountries(false);
  const countryName = useCountryName();
  const [picking, setPicking] = useState<number | null>(null);
  // Sorted once per list and language, not on every keystroke elsewhere in the form.
  const options = useMemo(
    () =>
      sortByName(all.data ?? [], (c) => countryName(c.code, c.name)).map((c) => ({
        value: c.code,
        label: countryName(c.code, c.name),
      })),
    [all.data, countryName],
  );
  const change = (index: number, patch: Partial<LocationRow>) =>
    onChange(rows.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  const error = (index: number, field: string) => errors[`locations[${index}].${field}`];
  return (
    <fieldset className="card">
      <legend>{t("project.locations")}</legend>
      {errors.locations ? <p className="field-error">{errors.locations}</p> : null}
      {rows.length === 0 ? <p className="muted">{t("places.noLocations")}</p> : null}
      {rows.map((row, index) => {
        const what = row.name || t("places.locationN", { n: index + 1 });
        return (
          <div className="subfieldset location-row" key={index} role="group" aria-label={what}>
            <div className="row-fields">
              <Field label={t("places.locationName")} error={error(index, "name")}>
                <input value={row.name} onChange={(e) => change(index, { name: e.target.value })} />
              </Field>
              <Field label={t("places.adminArea")} error={error(index, "admin_area")}>
                <input value={row.admin_area} onChange={(e) => change(index, { admin_area: e.target.value })} />
              </Field>
              <Field label={t("places.locationCountry")} error={error(index, "country_code")}>
                <Select
                  value={row.country_code}
                  onChange={(e) => change(index, { country_code: e.target.value })}
                  empty="—"
                  options={options}
                />
              </Field>
            </div>
            <div className="row-fields">
              <Field label={t("places.latitude")} error={error(index, "latitude")} className="narrow">
                <input
                  inputMode="decimal"
                  value={row.latitude}
                  onChange={(e) => change(index, { latitude: e.target.value })}
                />
              </Field>
              <Field label={t("places.longitude")} error={error(index, "longitude")} className="narrow">
                <input
                  inputMode="decimal"
                  value={row.longitude}
                  onChange={(e) => change(index, { longitude: e.target.value })}
                />
              </Field>
              <Field label={t("fields.description")} error={error(index, "description")}>
                <input value={row.description} onChange={(e) => change(index, { description: e.target.value })} />
              </Field>
            </div>
            <div className="row-actions">
              <button
                type="button"
                aria-expanded={picking === index}
                onClick={() => setPicking(picking === index ? null : index)}
              >
                {picking === index ? t("places.closeMap", { what }) : t("places.pickOnMap", { what })}
              </button>
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setPicking(null);
                  onChange(rows.filter((_, i) => i !== index));
                }}
              >
                {t("places.removeLocation", { what })}
              </button>
            </div>
            {picking === index ? (
              <Suspense fallback={<Loading />}>
                <PointPicker
                  country={row.country_code}
                  latitude={
                    row.latitude.trim() && !Number.isNaN(Number(row.latitude.replace(",", ".")))
                      ? Number(row.latitude.replace(",", "."))
                      : null
                  }
                  longitude={
                    row.longitude.trim() && !Number.isNaN(Number(row.longitude.replace(",", ".")))
                      ? Number(row.longitude.replace(",", "."))
                      : null
                  }
                  onChange={(latitude, longitude) =>
                    change(index, { latitude: String(latitude), longitude: String(longitude) })
                  }
                  label={t("places.pickerLabel", { what })}
                />
              </Suspense>
            ) : null}
          </div>
        );
      })}
      <button type="button" onClick={() => onChange([...rows, emptyLocation(countries[0] ?? "")])}>
        {t("places.addLocation")}
      </button>
    </fieldset>
  );
}

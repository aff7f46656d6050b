import { geoMercator, geoPath } from "d3-geo";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Loading } from "@/components/Loading";
import { formatMoney, formatNumber } from "@/lib/format";
import { useCountryName } from "@/i18n/names";
import { alpha2Code, numericCode, useAtlas } from "@/maps/atlas";

export interface CountryValue {
  code: string;
  name: string;
  eur: number;
  projects: number;
}

type Metric = "eur" | "projects";
const WIDTH = 800;
const HEIGHT = 420;
const SHADES = ["#dbe9f6", "#a6c8e4", "#6aa3cf", "#3a7fb8", "#145796", "#08306b"];

export function shadeFor(value: number, max: number): string {
  if (value <= 0 || max <= 0) return "#e4e7eb";
  const index = Math.min(SHADES.length - 1, Math.floor((value / max) * (SHADES.length - 1) + 0.0001));
  return SHADES[index] ?? "#dbe9f6";
}

/** Programme countries shaded by EUR funding or by number of projects, with the numbers as a table too. */
export function FundingMap({ values }: { values: readonly CountryValue[] }) {
  const { t, i18n } = useTranslation();
  const atlas = useAtlas();
  const countryName = useCountryName();
  const shapeName = (id: string, fallback: string) => {
    const alpha2 = alpha2Code(id);
    return alpha2 ? countryName(alpha2, fallback) : fallback;
  };
  const [metric, setMetric] = useState<Metric>("eur");
  const byNumeric = useMemo(() => new Map(values.map((v) => [numericCode(v.code), v])), [values]);
  const max = Math.max(0, ...values.map((v) => v[metric]));

  const shapes = useMemo(() => {
    if (!atlas.data) return null;
    const focus = atlas.data.filter((f) => byNumeric.has(String(f.id)));
    const projection = geoMercator();
    if (focus.length > 0) {
      projection.fitExtent(
        [
          [40, 30],
          [WIDTH - 40, HEIGHT - 30],
        ],
        { type: "FeatureCollection", features: focus },
      );
    } else {
      projection.fitSize([WIDTH, HEIGHT], { type: "FeatureCollection", features: atlas.data });
    }
    const path = geoPath(projection);
    return atlas.data.map((f) => ({ id: String(f.id), name: f.properties.name, d: path(f) ?? "" }));
  }, [atlas.data, byNumeric]);

  const show = (v: CountryValue) =>
    metric === "eur" ? formatMoney(i18n.language, v.eur, "EUR", true) : formatNumber(i18n.language, v.projects);

  return (
    <div className="map-block">
      <fieldset className="segmented">
        <legend>{t("dashboard.shadeBy")}</legend>
        <label>
          <input type="radio" name="metric" checked={metric === "eur"} onChange={() => setMetric("eur")} /> {t("dashboard.byFunding")}
        </label>
        <label>
          <input type="radio" name="metric" checked={metric === "projects"} onChange={() => setMetric("projects")} /> {t("dashboard.byProjects")}
        </label>
      </fieldset>
      {atlas.isPending ? <Loading /> : null}
      {shapes ? (
        <svg
          className="world-map"
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          role="img"
          aria-label={t("dashboard.mapLabel", { metric: metric === "eur" ? t("dashboard.byFunding") : t("dashboard.byProjects") })}
          data-testid="funding-map"
        >
          <rect width={WIDTH} height={HEIGHT} className="sea" />
          {shapes.map((shape) => {
            const value = byNumeric.get(shape.id);
            return (
              <path key={shape.id} d={shape.d} fill={value ? shadeFor(value[metric], max) : "#f7f6f2"} className={value ? "programme" : "other"}>
                <title>{value ? `${countryName(value.code, value.name)}: ${show(value)}` : shapeName(shape.id, shape.name)}</title>
              </path>
            );
          })}
        </svg>
      ) : null}
      <div className="legend" aria-hidden="true">
        <span>0</span>
        {SHADES.map((shade) => (
          <span key={shade} className="swatch" style={{ background: shade }} />
        ))}
        <span>{metric === "eur" ? formatMoney(i18n.language, max, "EUR", true) : formatNumber(i18n.language, max)}</span>
      </div>
      <details>
        <summary>{t("dashboard.mapTable")}</summary>
        <table className="data-table compact">
          <thead>
            <tr>
              <th scope="col">{t("fields.country")}</th>
              <th scope="col" className="num">{t("dashboard.eurFunding")}</th>
              <th scope="col" className="num">{t("dashboard.projects")}</th>
            </tr>
          </thead>
          <tbody>
            {[...values]
              .sort((a, b) => b[metric] - a[metric])
              .map((v) => (
                <tr key={v.code}>
                  <td>
                    <Link to={`/countries/${v.code}`}>{countryName(v.code, v.name)}</Link>
                  </td>
                  <td className="num">{formatMoney(i18n.language, v.eur, "EUR")}</td>
                  <td className="num">{formatNumber(i18n.language, v.projects)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}

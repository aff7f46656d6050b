import { geoMercator, geoPath } from "d3-geo";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Loading } from "@/components/Loading";
import { formatMoney, formatNumber } from "@/lib/format";
import { useCountryName } from "@/i18n/names";
import { alpha2Code, numericCode, useAtlas } from "@/maps/atlas";
import type { CountryAggregate } from "@/features/dashboard/api/aggregate";

export type CountryValue = CountryAggregate;

type Metric = "eur" | "projects";
const WIDTH = 800;
const HEIGHT = 420;
/** The sea is near-white: even the lightest shade of a funded country stands out from it. */
export const SEA = "#f3f6f9";
const OTHER_LAND = "#ebe8e1";
const NONE = "#e4e7eb";
export const SHADES = ["#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b"];
const NOT_CONVERTED = "url(#not-converted)";

export function shadeFor(value: number, max: number): string {
  if (value <= 0 || max <= 0) return NONE;
  const index = Math.min(SHADES.length - 1, Math.floor((value / max) * (SHADES.length - 1) + 0.0001));
  return SHADES[index] ?? SHADES[0] ?? NONE;
}

/** EUR shading: a country with money but no EUR value for it is hatched ("not converted"), never shown as EUR 0. */
function fillFor(value: CountryValue, metric: Metric, max: number): string {
  if (metric === "eur" && !value.hasEur && value.notConverted.length > 0) return NOT_CONVERTED;
  return shadeFor(value[metric], max);
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

  const unconverted = (v: CountryValue) =>
    v.notConverted.map((n) => formatMoney(i18n.language, n.amount, n.currency)).join(", ");
  const eurText = (v: CountryValue) => {
    if (!v.hasEur && v.notConverted.length > 0) return t("dashboard.noEurValue", { amounts: unconverted(v) });
    const eur = formatMoney(i18n.language, v.eur, "EUR");
    return v.notConverted.length > 0 ? `${eur} ${t("money.plusNotConverted", { amounts: unconverted(v) })}` : eur;
  };
  const show = (v: CountryValue) => (metric === "eur" ? eurText(v) : formatNumber(i18n.language, v.projects));
  const anyNotConverted = values.some((v) => v.notConverted.length > 0);

  return (
    <div className="map-block">
      <fieldset className="segmented">
        <legend>{t("dashboard.shadeBy")}</legend>
        <label>
          <input type="radio" name="metric" checked={metric === "eur"} onChange={() => setMetric("eur")} />{" "}
          {t("dashboard.byFunding")}
        </label>
        <label>
          <input type="radio" name="metric" checked={metric === "projects"} onChange={() => setMetric("projects")} />{" "}
          {t("dashboard.byProjects")}
        </label>
      </fieldset>
      {atlas.isPending ? <Loading /> : null}
      {shapes ? (
        <svg
          className="world-map"
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          role="img"
          aria-label={t("dashboard.mapLabel", {
            metric: metric === "eur" ? t("dashboard.byFunding") : t("dashboard.byProjects"),
          })}
          data-testid="funding-map"
        >
          <defs>
            <pattern
              id="not-converted"
              width="8"
              height="8"
              patternUnits="userSpaceOnUse"
              patternTransform="rotate(45)"
            >
              <rect width="8" height="8" fill="#fdf1dc" />
              <line x1="0" y1="0" x2="0" y2="8" stroke="#b85c00" strokeWidth="3" />
            </pattern>
          </defs>
          <rect width={WIDTH} height={HEIGHT} className="sea" fill={SEA} />
          {shapes.map((shape) => {
            const value = byNumeric.get(shape.id);
            return (
              <path
                key={shape.id}
                d={shape.d}
                fill={value ? fillFor(value, metric, max) : OTHER_LAND}
                className={value ? "programme" : "other"}
              >
                <title>
                  {value ? `${countryName(value.code, value.name)}: ${show(value)}` : shapeName(shape.id, shape.name)}
                </title>
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
        <span>
          {metric === "eur" ? formatMoney(i18n.language, max, "EUR", true) : formatNumber(i18n.language, max)}
        </span>
        {metric === "eur" && anyNotConverted ? (
          <>
            <span className="swatch hatched" />
            <span>{t("money.notConverted")}</span>
          </>
        ) : null}
      </div>
      <details>
        <summary>{t("dashboard.mapTable")}</summary>
        <table className="data-table compact">
          <thead>
            <tr>
              <th scope="col">{t("fields.country")}</th>
              <th scope="col" className="num">
                {t("dashboard.eurFunding")}
              </th>
              <th scope="col" className="num">
                {t("dashboard.notConvertedColumn")}
              </th>
              <th scope="col" className="num">
                {t("dashboard.projects")}
              </th>
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
                  <td className="num">
                    {v.hasEur ? (
                      formatMoney(i18n.language, v.eur, "EUR")
                    ) : (
                      <span className="not-converted">{t("dashboard.noEur")}</span>
                    )}
                  </td>
                  <td className="num">{v.notConverted.length > 0 ? unconverted(v) : "—"}</td>
                  <td className="num">{formatNumber(i18n.language, v.projects)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}

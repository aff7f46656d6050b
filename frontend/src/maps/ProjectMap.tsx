import { geoPath } from "d3-geo";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Loading } from "@/components/Loading";
import { useCountryName } from "@/i18n/names";
import { useAtlas } from "@/maps/atlas";
import { countryShapes, framing, HEIGHT, WIDTH } from "@/maps/geometry";
import "@/maps/maps.css";

export interface MapLocation {
  name: string;
  country_code: string;
  latitude?: string | number | null;
  longitude?: string | number | null;
}

/** The project's countries on the offline map, with its sub-national locations drawn as points where they have them. */
export function ProjectMap({
  countries,
  locations,
}: {
  countries: readonly string[];
  locations: readonly MapLocation[];
}) {
  const { t } = useTranslation();
  const atlas = useAtlas();
  const countryName = useCountryName();
  const points = useMemo(
    () =>
      locations
        .filter(
          (l) => l.latitude !== null && l.latitude !== undefined && l.longitude !== null && l.longitude !== undefined,
        )
        .map((l) => ({ name: l.name, lonLat: [Number(l.longitude), Number(l.latitude)] as [number, number] })),
    [locations],
  );
  const drawn = useMemo(() => {
    if (!atlas.data) return null;
    const focus = countryShapes(atlas.data, countries);
    const projection = framing(
      atlas.data,
      focus,
      points.map((p) => p.lonLat),
      40,
    );
    const path = geoPath(projection);
    return {
      shapes: atlas.data.map((f) => ({ id: String(f.id), d: path(f) ?? "", inFocus: focus.includes(f) })),
      dots: points.map((p) => ({ ...p, at: projection(p.lonLat) })),
    };
  }, [atlas.data, countries, points]);
  if (atlas.isPending) return <Loading />;
  if (!drawn) return null;
  const names = countries.map((c) => countryName(c)).join(", ");
  const where = points.map((p) => p.name).join(", ");
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      className="world-map project-map"
      role="img"
      aria-label={
        where
          ? t("places.mapLabelWithPoints", { countries: names, points: where })
          : t("places.mapLabel", { countries: names })
      }
      data-testid="project-map"
    >
      <rect width={WIDTH} height={HEIGHT} className="sea" />
      {drawn.shapes.map((s) => (
        <path key={s.id} d={s.d} className={s.inFocus ? "focus" : "other"} />
      ))}
      {drawn.dots.map((dot, i) =>
        dot.at ? (
          <g key={`${dot.name}-${i}`} className="location-dot">
            <circle cx={dot.at[0]} cy={dot.at[1]} r={6} className="marker">
              <title>{dot.name}</title>
            </circle>
            <text x={dot.at[0] + 9} y={dot.at[1] + 4}>
              {dot.name}
            </text>
          </g>
        ) : null,
      )}
    </svg>
  );
}

import { geoCentroid, geoMercator, type GeoProjection } from "d3-geo";
import type { CountryFeature } from "@/maps/atlas";
import { numericCode } from "@/maps/atlas";

export const WIDTH = 800;
export const HEIGHT = 440;

/** The shapes of the given countries (ISO alpha-2), from the atlas. */
export function countryShapes(atlas: readonly CountryFeature[], codes: readonly string[]): CountryFeature[] {
  const wanted = new Set(codes.map((c) => numericCode(c)).filter(Boolean));
  return atlas.filter((f) => wanted.has(String(f.id)));
}

/** A Mercator projection framing the given shapes and points (the whole world when there are none). */
export function framing(
  atlas: readonly CountryFeature[],
  focus: readonly CountryFeature[],
  points: readonly [number, number][] = [],
  margin = 30,
): GeoProjection {
  const projection = geoMercator();
  const features: GeoJSON.Feature[] = [...focus];
  if (points.length)
    features.push({ type: "Feature", properties: {}, geometry: { type: "MultiPoint", coordinates: [...points] } });
  const target = features.length ? features : [...atlas];
  projection.fitExtent(
    [
      [margin, margin],
      [WIDTH - margin, HEIGHT - margin],
    ],
    { type: "FeatureCollection", features: target },
  );
  return projection;
}

/** Where a point picker starts: the middle of the country (or 0, 0 with no country). */
export function centreOf(shapes: readonly CountryFeature[]): [number, number] {
  if (!shapes.length) return [0, 0];
  const [lon, lat] = geoCentroid({ type: "FeatureCollection", features: [...shapes] });
  return [lon, lat];
}

/** Coordinates kept to 4 decimals (about 10 m), as a person would type them. */
export const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

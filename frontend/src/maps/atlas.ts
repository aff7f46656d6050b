import { queryOptions, useQuery } from "@tanstack/react-query";
import type { Feature, FeatureCollection, Geometry } from "geojson";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import atlasUrl from "world-atlas/countries-110m.json?url";
import isoNumeric from "@/maps/iso-numeric.json";

export type CountryFeature = Feature<Geometry, { name: string }> & { id?: string | number };

/** The world's country shapes, served with the app itself (no tiles, no CDN). */
export async function fetchAtlas(): Promise<CountryFeature[]> {
  const response = await fetch(atlasUrl);
  if (!response.ok) throw new Error(`world atlas: HTTP ${response.status}`);
  const topology = (await response.json()) as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const collection = feature(topology, topology.objects.countries) as FeatureCollection<Geometry, { name: string }>;
  return collection.features as CountryFeature[];
}

export const atlasQueryOptions = () =>
  queryOptions({ queryKey: ["atlas", "110m"], queryFn: fetchAtlas, staleTime: Infinity });
export const useAtlas = () => useQuery(atlasQueryOptions());

const numericByAlpha2 = isoNumeric as Record<string, string>;

/** ISO 3166 alpha-2 (the API's codes) to the numeric ids of the atlas. */
export function numericCode(alpha2: string): string | undefined {
  return numericByAlpha2[alpha2.toUpperCase()];
}

const alpha2ByNumeric = new Map(Object.entries(numericByAlpha2).map(([alpha2, numeric]) => [numeric, alpha2]));

/** The atlas id back to ISO 3166 alpha-2 (to name a shape in the UI language). */
export function alpha2Code(numeric: string): string | undefined {
  return alpha2ByNumeric.get(numeric);
}

import { readFileSync } from 'node:fs';
import type { Feature, FeatureCollection } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

/** Natural Earth land at 1:110m (world-atlas): coarse, but a 600-pixel map needs no more, and it is 55 kB. */
const LAND_TOPOJSON = 'world-atlas/land-110m.json';

let land: Feature | FeatureCollection | null = null;

/** The world's land as GeoJSON, read from the bundled package once (the bot never fetches map data). */
export function landShapes(): Feature | FeatureCollection {
  if (!land) {
    const topology = JSON.parse(readFileSync(require.resolve(LAND_TOPOJSON), 'utf8')) as Topology<{ land: GeometryCollection }>;
    land = feature(topology, topology.objects.land);
  }
  return land;
}

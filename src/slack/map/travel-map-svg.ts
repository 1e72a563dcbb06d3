import { geoCentroid, geoCircle, geoGraticule10, geoNaturalEarth1, geoPath, type GeoPermissibleObjects } from 'd3-geo';
import type { Feature, FeatureCollection, LineString } from 'geojson';

/** One place on the map: a login or session's geo-IP position and its words ("Moscow, RU"). */
export interface MapPlace {
  lat: number;
  lon: number;
  label: string;
}

export interface TravelMapLayout {
  width: number;
  height: number;
  svg: string;
  /** Where each place's dot is, in pixels, in the order given. */
  points: Array<[x: number, y: number]>;
}

export const MAP_WIDTH = 600;
export const MAP_HEIGHT = 300;
/** Room around the places for their labels and dots. */
const PAD_X = 70;
const PAD_Y = 40;
/**
 * The map always shows at least this radius (degrees of arc) around the places' centre: two
 * logins 300 km apart would otherwise fill the map with a featureless close-up of 1:110m coast.
 */
const MIN_RADIUS_DEG = 9;

const SEA = '#e8eff5';
const LAND = '#c8c8c8';
const ROUTE = '#b01c1c';
const DOT = '#e0201b';
const FONT = 'DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif';

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
}

/** Labels stay short: a place name, never a paragraph. */
function shortLabel(label: string): string {
  const trimmed = label.trim();
  return trimmed.length > 40 ? `${trimmed.slice(0, 39)}…` : trimmed;
}

function usable(place: MapPlace): boolean {
  return Number.isFinite(place.lat) && Number.isFinite(place.lon) && Math.abs(place.lat) <= 90 && Math.abs(place.lon) <= 180;
}

/**
 * The map as SVG: land in grey, the places as red dots with labels, joined in order by
 * great-circle arcs (d3 draws a LineString's edges as great circles). The projection is turned to
 * the places' centre longitude, so a Tokyo–San Francisco pair is not split by the map's edge, and
 * fitted to them with padding. Pure: the same places and land give the same SVG.
 */
export function travelMapLayout(places: readonly MapPlace[], land: Feature | FeatureCollection): TravelMapLayout {
  if (places.length < 2 || !places.every(usable)) throw new Error('the bot: a travel map needs at least two places with valid coordinates');
  const coordinates = places.map((p): [number, number] => [p.lon, p.lat]);
  const route: LineString = { type: 'LineString', coordinates };
  const centre = geoCentroid({ type: 'MultiPoint', coordinates });
  const frame: GeoPermissibleObjects = {
    type: 'GeometryCollection',
    geometries: [route, geoCircle().center(centre).radius(MIN_RADIUS_DEG)()],
  };
  const projection = geoNaturalEarth1()
    .rotate([-centre[0], 0])
    .fitExtent(
      [
        [PAD_X, PAD_Y],
        [MAP_WIDTH - PAD_X, MAP_HEIGHT - PAD_Y],
      ],
      frame,
    );
  const path = geoPath(projection).digits(1);
  const points = coordinates.map((c): [number, number] => {
    const xy = projection(c);
    if (!xy) throw new Error('the bot: a place could not be projected onto the travel map');
    return [Math.round(xy[0] * 10) / 10, Math.round(xy[1] * 10) / 10];
  });
  const labels = points.map(([x, y], i) => {
    // Labels point away from the nearer side edge so they stay inside the picture.
    const right = x < MAP_WIDTH * 0.6;
    const tx = right ? x + 10 : x - 10;
    const text = escapeXml(shortLabel(places[i]?.label ?? ''));
    return `<text x="${tx}" y="${y - 8}" text-anchor="${right ? 'start' : 'end'}" font-family="${FONT}" font-size="13" font-weight="bold" fill="#1d1d1d" stroke="#ffffff" stroke-width="3" paint-order="stroke">${text}</text>`;
  });
  const dots = points.map(([x, y]) => `<circle cx="${x}" cy="${y}" r="6" fill="${DOT}" stroke="#ffffff" stroke-width="1.5"/>`);
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${MAP_WIDTH}" height="${MAP_HEIGHT}" viewBox="0 0 ${MAP_WIDTH} ${MAP_HEIGHT}">`,
    `<rect width="${MAP_WIDTH}" height="${MAP_HEIGHT}" fill="#ffffff"/>`,
    `<path d="${path({ type: 'Sphere' }) ?? ''}" fill="${SEA}"/>`,
    `<path d="${path(geoGraticule10()) ?? ''}" fill="none" stroke="#d6dee6" stroke-width="0.5"/>`,
    `<path d="${path(land) ?? ''}" fill="${LAND}" stroke="#b4b4b4" stroke-width="0.5"/>`,
    `<path d="${path(route) ?? ''}" fill="none" stroke="${ROUTE}" stroke-width="2"/>`,
    ...dots,
    ...labels,
    '</svg>',
  ].join('\n');
  return { width: MAP_WIDTH, height: MAP_HEIGHT, svg, points };
}

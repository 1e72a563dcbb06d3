import { renderAsync } from '@resvg/resvg-js';
import { landShapes } from './land';
import { travelMapLayout, type MapPlace } from './travel-map-svg';

export type { MapPlace } from './travel-map-svg';

/**
 * The places of a distant-places or impossible-travel alert as a PNG (600×300), drawn from the
 * bundled coastline data: no map service is called. Labels use the machine's fonts (DejaVu Sans
 * or the like); with none installed the dots and line still show. Rasterising runs off the event
 * loop (resvg's async render uses libuv's thread pool).
 */
export async function renderTravelMap(places: readonly MapPlace[]): Promise<Buffer> {
  const { svg } = travelMapLayout(places, landShapes());
  const image = await renderAsync(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, fitTo: { mode: 'original' } });
  return image.asPng();
}

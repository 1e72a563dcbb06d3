import { PNG } from 'pngjs';
import { landShapes } from '../../../src/slack/map/land';
import { renderTravelMap, type MapPlace } from '../../../src/slack/map/render-map';
import { MAP_HEIGHT, MAP_WIDTH, travelMapLayout } from '../../../src/slack/map/travel-map-svg';

const SAN_FRANCISCO: MapPlace = { lat: 37.7749, lon: -122.4194, label: 'San Francisco, US' };
const MOSCOW: MapPlace = { lat: 55.7558, lon: 37.6173, label: 'Moscow, RU' };
const TOKYO: MapPlace = { lat: 35.6762, lon: 139.6503, label: 'Tokyo, JP' };
const LONDON: MapPlace = { lat: 51.5074, lon: -0.1278, label: 'London, GB' };
const PARIS: MapPlace = { lat: 48.8566, lon: 2.3522, label: 'Paris, FR' };

function pixel(png: PNG, x: number, y: number): [number, number, number] {
  const i = (Math.round(y) * png.width + Math.round(x)) * 4;
  return [png.data[i] ?? 0, png.data[i + 1] ?? 0, png.data[i + 2] ?? 0];
}

const isRed = ([r, g, b]: [number, number, number]): boolean => r > 180 && g < 90 && b < 90;

/** Pixels of the land grey (#c8c8c8), give or take anti-aliasing. */
function landPixels(png: PNG): number {
  let count = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    const [r, g, b] = [png.data[i] ?? 0, png.data[i + 1] ?? 0, png.data[i + 2] ?? 0];
    if (Math.abs(r - 200) <= 3 && Math.abs(g - 200) <= 3 && Math.abs(b - 200) <= 3) count++;
  }
  return count;
}

describe('renderTravelMap', () => {
  it.each([
    ['San Francisco → Moscow (over the Arctic)', [SAN_FRANCISCO, MOSCOW]],
    ['Tokyo → San Francisco (across the map edge)', [TOKYO, SAN_FRANCISCO]],
    ['London → Paris (close together)', [LONDON, PARIS]],
  ])('%s: a 600×300 PNG with both places red and land in grey', async (_name, places) => {
    const png = PNG.sync.read(await renderTravelMap(places));
    expect([png.width, png.height]).toEqual([MAP_WIDTH, MAP_HEIGHT]);
    const { points } = travelMapLayout(places, landShapes());
    for (const [x, y] of points) {
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThan(MAP_WIDTH);
      expect(y).toBeGreaterThan(0);
      expect(y).toBeLessThan(MAP_HEIGHT);
      const rgb = pixel(png, x, y);
      expect(isRed(rgb) ? 'red' : `rgb(${rgb.join(', ')}) at (${x}, ${y})`).toBe('red');
    }
    // Land is a visible share of the picture (every pair above has coast nearby).
    expect(landPixels(png)).toBeGreaterThan(MAP_WIDTH * MAP_HEIGHT * 0.05);
  });

  it('puts the places where they are: Moscow east and north of San Francisco', () => {
    const [sf, moscow] = travelMapLayout([SAN_FRANCISCO, MOSCOW], landShapes()).points;
    expect(moscow?.[0]).toBeGreaterThan(sf?.[0] ?? Infinity);
    expect(moscow?.[1]).toBeLessThan(sf?.[1] ?? -Infinity);
  });

  it('gives the same bytes for the same places', async () => {
    const a = await renderTravelMap([SAN_FRANCISCO, MOSCOW]);
    const b = await renderTravelMap([SAN_FRANCISCO, MOSCOW]);
    expect(a.equals(b)).toBe(true);
  });

  it('escapes labels into the SVG and shortens long ones', () => {
    const { svg } = travelMapLayout(
      [
        { ...LONDON, label: '<script>&"x"' },
        { ...PARIS, label: 'P'.repeat(80) },
      ],
      landShapes(),
    );
    expect(svg).toContain('&lt;script&gt;&amp;&quot;x&quot;');
    expect(svg).not.toContain('<script>');
    expect(svg).toContain(`${'P'.repeat(39)}…`);
  });

  it('refuses fewer than two places, or coordinates off the globe, naming the bot', async () => {
    await expect(renderTravelMap([LONDON])).rejects.toThrow('the bot: a travel map needs at least two places');
    await expect(renderTravelMap([LONDON, { lat: 91, lon: 0, label: 'x' }])).rejects.toThrow('valid coordinates');
    await expect(renderTravelMap([LONDON, { lat: Number.NaN, lon: 0, label: 'x' }])).rejects.toThrow('valid coordinates');
  });
});

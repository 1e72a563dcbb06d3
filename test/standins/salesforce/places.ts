import type { Place } from '../../../src/domain/types';

/**
 * Real cities as Salesforce's LoginGeo would describe them: English names, Subdivision is the
 * state/region name (not a code), PostalCode is one plausible central code (null where the country
 * has none in common use), coordinates are the city centre to 4 decimals.
 */
export interface GeoPlace extends Place {
  city: string;
  subdivision: string | null;
  country: string;
  countryIso: string;
  postalCode: string | null;
  latitude: number;
  longitude: number;
}

type Row = [city: string, subdivision: string | null, country: string, iso: string, postal: string | null, lat: number, lng: number];

// Kept as rows so the ~40 entries stay readable at a glance.
const ROWS: readonly Row[] = [
  ['San Francisco', 'California', 'United States', 'US', '94103', 37.7749, -122.4194],
  ['New York', 'New York', 'United States', 'US', '10001', 40.7128, -74.006],
  ['Chicago', 'Illinois', 'United States', 'US', '60601', 41.8781, -87.6298],
  ['Austin', 'Texas', 'United States', 'US', '78701', 30.2672, -97.7431],
  ['Seattle', 'Washington', 'United States', 'US', '98101', 47.6062, -122.3321],
  ['Atlanta', 'Georgia', 'United States', 'US', '30303', 33.749, -84.388],
  ['Denver', 'Colorado', 'United States', 'US', '80202', 39.7392, -104.9903],
  ['Toronto', 'Ontario', 'Canada', 'CA', 'M5H', 43.6532, -79.3832],
  ['Vancouver', 'British Columbia', 'Canada', 'CA', 'V6B', 49.2827, -123.1207],
  ['Mexico City', 'Ciudad de México', 'Mexico', 'MX', '06000', 19.4326, -99.1332],
  ['São Paulo', 'São Paulo', 'Brazil', 'BR', '01000-000', -23.5505, -46.6333],
  ['Buenos Aires', 'Buenos Aires F.D.', 'Argentina', 'AR', 'C1002', -34.6037, -58.3816],
  ['London', 'England', 'United Kingdom', 'GB', 'EC1A', 51.5074, -0.1278],
  ['Dublin', 'Leinster', 'Ireland', 'IE', 'D02', 53.3498, -6.2603],
  ['Paris', 'Île-de-France', 'France', 'FR', '75001', 48.8566, 2.3522],
  ['Berlin', 'Land Berlin', 'Germany', 'DE', '10115', 52.52, 13.405],
  ['Munich', 'Bavaria', 'Germany', 'DE', '80331', 48.1351, 11.582],
  ['Amsterdam', 'North Holland', 'Netherlands', 'NL', '1012', 52.3676, 4.9041],
  ['Madrid', 'Madrid', 'Spain', 'ES', '28001', 40.4168, -3.7038],
  ['Milan', 'Lombardy', 'Italy', 'IT', '20121', 45.4642, 9.19],
  ['Zurich', 'Zurich', 'Switzerland', 'CH', '8001', 47.3769, 8.5417],
  ['Stockholm', 'Stockholm County', 'Sweden', 'SE', '111 20', 59.3293, 18.0686],
  ['Warsaw', 'Mazovia', 'Poland', 'PL', '00-001', 52.2297, 21.0122],
  ['Kyiv', 'Kyiv City', 'Ukraine', 'UA', '01001', 50.4501, 30.5234],
  ['Moscow', 'Moscow', 'Russia', 'RU', '101000', 55.7558, 37.6173],
  ['Istanbul', 'Istanbul', 'Turkey', 'TR', '34110', 41.0082, 28.9784],
  ['Tel Aviv', 'Tel Aviv', 'Israel', 'IL', '61000', 32.0853, 34.7818],
  ['Dubai', 'Dubai', 'United Arab Emirates', 'AE', null, 25.2048, 55.2708],
  ['Lagos', 'Lagos', 'Nigeria', 'NG', '100001', 6.5244, 3.3792],
  ['Nairobi', 'Nairobi County', 'Kenya', 'KE', '00100', -1.2921, 36.8219],
  ['Johannesburg', 'Gauteng', 'South Africa', 'ZA', '2001', -26.2041, 28.0473],
  ['Cairo', 'Cairo Governorate', 'Egypt', 'EG', '11511', 30.0444, 31.2357],
  ['Mumbai', 'Maharashtra', 'India', 'IN', '400001', 19.076, 72.8777],
  ['Bengaluru', 'Karnataka', 'India', 'IN', '560001', 12.9716, 77.5946],
  ['Singapore', null, 'Singapore', 'SG', '018989', 1.3521, 103.8198],
  ['Beijing', 'Beijing', 'China', 'CN', '100000', 39.9042, 116.4074],
  ['Shanghai', 'Shanghai', 'China', 'CN', '200000', 31.2304, 121.4737],
  ['Hong Kong', 'Central and Western', 'Hong Kong', 'HK', null, 22.3193, 114.1694],
  ['Seoul', 'Seoul', 'South Korea', 'KR', '04524', 37.5665, 126.978],
  ['Tokyo', 'Tokyo', 'Japan', 'JP', '100-0001', 35.6762, 139.6503],
  ['Sydney', 'New South Wales', 'Australia', 'AU', '2000', -33.8688, 151.2093],
  ['Melbourne', 'Victoria', 'Australia', 'AU', '3000', -37.8136, 144.9631],
  ['Auckland', 'Auckland', 'New Zealand', 'NZ', '1010', -36.8485, 174.7633],
];

export const PLACES: readonly GeoPlace[] = Object.freeze(
  ROWS.map(([city, subdivision, country, countryIso, postalCode, latitude, longitude]) =>
    Object.freeze({ city, subdivision, country, countryIso, postalCode, latitude, longitude }),
  ),
);

const BY_NAME = new Map(PLACES.map((p) => [p.city.toLowerCase(), p]));

/** The place for a city name (case-insensitive); throws on a typo so scenarios fail loudly. */
export function place(name: string): GeoPlace {
  const found = BY_NAME.get(name.trim().toLowerCase());
  if (!found) throw new Error(`no place named ${name} in PLACES`);
  return found;
}

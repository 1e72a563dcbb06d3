import { place, type GeoPlace } from '../places';

/**
 * Where the realistic org's people work, and the other places geo-IP puts them: the cities a phone
 * carrier's addresses resolve to (a few hundred kilometres from the desk), corporate VPN exits and
 * cloud regions. Coordinates are city centres to 4 decimals, named as LoginGeo names them.
 */

type Row = [city: string, subdivision: string | null, country: string, iso: string, postal: string | null, lat: number, lng: number];

const EXTRA_ROWS: readonly Row[] = [
  ['Los Angeles', 'California', 'United States', 'US', '90012', 34.0522, -118.2437],
  ['Sacramento', 'California', 'United States', 'US', '95814', 38.5816, -121.4944],
  ['Portland', 'Oregon', 'United States', 'US', '97204', 45.5152, -122.6784],
  ['Washington', 'District of Columbia', 'United States', 'US', '20001', 38.9072, -77.0369],
  ['Boston', 'Massachusetts', 'United States', 'US', '02108', 42.3601, -71.0589],
  ['Detroit', 'Michigan', 'United States', 'US', '48226', 42.3314, -83.0458],
  ['Dallas', 'Texas', 'United States', 'US', '75201', 32.7767, -96.797],
  ['Houston', 'Texas', 'United States', 'US', '77002', 29.7604, -95.3698],
  ['Ashburn', 'Virginia', 'United States', 'US', '20147', 39.0438, -77.4874],
  ['Montreal', 'Quebec', 'Canada', 'CA', 'H2Y', 45.5017, -73.5673],
  ['Rio de Janeiro', 'Rio de Janeiro', 'Brazil', 'BR', '20010-000', -22.9068, -43.1729],
  ['Manchester', 'England', 'United Kingdom', 'GB', 'M1', 53.4808, -2.2426],
  ['Edinburgh', 'Scotland', 'United Kingdom', 'GB', 'EH1', 55.9533, -3.1883],
  ['Cork', 'Munster', 'Ireland', 'IE', 'T12', 51.8985, -8.4756],
  ['Hamburg', 'Hamburg', 'Germany', 'DE', '20095', 53.5511, 9.9937],
  ['Frankfurt', 'Hesse', 'Germany', 'DE', '60311', 50.1109, 8.6821],
  ['Lyon', 'Auvergne-Rhône-Alpes', 'France', 'FR', '69001', 45.764, 4.8357],
  ['Marseille', "Provence-Alpes-Côte d'Azur", 'France', 'FR', '13001', 43.2965, 5.3698],
  ['Rotterdam', 'South Holland', 'Netherlands', 'NL', '3011', 51.9244, 4.4777],
  ['Barcelona', 'Catalonia', 'Spain', 'ES', '08001', 41.3874, 2.1686],
  ['Gothenburg', 'Västra Götaland', 'Sweden', 'SE', '411 03', 57.7089, 11.9746],
  ['Kraków', 'Lesser Poland', 'Poland', 'PL', '31-001', 50.0647, 19.945],
  ['Haifa', 'Haifa', 'Israel', 'IL', '31000', 32.794, 34.9896],
  ['Abu Dhabi', 'Abu Dhabi', 'United Arab Emirates', 'AE', null, 24.4539, 54.3773],
  ['Chennai', 'Tamil Nadu', 'India', 'IN', '600001', 13.0827, 80.2707],
  ['Hyderabad', 'Telangana', 'India', 'IN', '500001', 17.385, 78.4867],
  ['Pune', 'Maharashtra', 'India', 'IN', '411001', 18.5204, 73.8567],
  ['Kuala Lumpur', 'Kuala Lumpur', 'Malaysia', 'MY', '50000', 3.139, 101.6869],
  ['Johor Bahru', 'Johor', 'Malaysia', 'MY', '80000', 1.4927, 103.7414],
  ['Osaka', 'Osaka', 'Japan', 'JP', '530-0001', 34.6937, 135.5023],
  ['Fukuoka', 'Fukuoka', 'Japan', 'JP', '810-0001', 33.5904, 130.4017],
  ['Canberra', 'Australian Capital Territory', 'Australia', 'AU', '2600', -35.2809, 149.13],
  ['Manila', 'Metro Manila', 'Philippines', 'PH', '1000', 14.5995, 120.9842],
];

const EXTRA: ReadonlyMap<string, GeoPlace> = new Map(
  EXTRA_ROWS.map(([city, subdivision, country, countryIso, postalCode, latitude, longitude]) => [
    city.toLowerCase(),
    Object.freeze({ city, subdivision, country, countryIso, postalCode, latitude, longitude }),
  ]),
);

/** A city of the stand-in's PLACES or of the realistic org's extra ones; throws on a typo. */
export function city(name: string): GeoPlace {
  return EXTRA.get(name.toLowerCase()) ?? place(name);
}

export type Region = 'Americas' | 'EMEA' | 'APAC';

export interface Office {
  city: GeoPlace;
  region: Region;
  /** IANA zone: people keep their office's hours. */
  timeZone: string;
  /** Relative headcount. */
  weight: number;
  /** Where a phone on a local carrier is geolocated: usually a few hundred km away, sometimes 500–900 km. */
  carrierCities: readonly GeoPlace[];
}

const office = (name: string, region: Region, timeZone: string, weight: number, carriers: readonly string[]): Office => ({
  city: city(name),
  region,
  timeZone,
  weight,
  carrierCities: carriers.map(city),
});

export const OFFICES: readonly Office[] = [
  office('San Francisco', 'Americas', 'America/Los_Angeles', 14, ['Sacramento', 'Los Angeles', 'San Francisco']),
  office('Seattle', 'Americas', 'America/Los_Angeles', 4, ['Portland', 'Seattle']),
  office('New York', 'Americas', 'America/New_York', 12, ['Washington', 'Boston', 'New York']),
  office('Chicago', 'Americas', 'America/Chicago', 5, ['Detroit', 'Chicago']),
  office('Austin', 'Americas', 'America/Chicago', 5, ['Dallas', 'Houston']),
  office('Toronto', 'Americas', 'America/Toronto', 4, ['Montreal', 'Toronto']),
  office('São Paulo', 'Americas', 'America/Sao_Paulo', 3, ['Rio de Janeiro', 'São Paulo']),
  office('London', 'EMEA', 'Europe/London', 10, ['Manchester', 'Edinburgh', 'London']),
  office('Dublin', 'EMEA', 'Europe/Dublin', 5, ['Cork', 'Dublin']),
  office('Berlin', 'EMEA', 'Europe/Berlin', 4, ['Hamburg', 'Frankfurt', 'Munich']),
  office('Paris', 'EMEA', 'Europe/Paris', 4, ['Lyon', 'Marseille', 'Paris']),
  office('Amsterdam', 'EMEA', 'Europe/Amsterdam', 3, ['Rotterdam', 'Amsterdam']),
  office('Madrid', 'EMEA', 'Europe/Madrid', 2, ['Barcelona', 'Madrid']),
  office('Stockholm', 'EMEA', 'Europe/Stockholm', 2, ['Gothenburg', 'Stockholm']),
  office('Warsaw', 'EMEA', 'Europe/Warsaw', 2, ['Kraków', 'Warsaw']),
  office('Tel Aviv', 'EMEA', 'Asia/Jerusalem', 2, ['Haifa', 'Tel Aviv']),
  office('Dubai', 'EMEA', 'Asia/Dubai', 1, ['Abu Dhabi', 'Dubai']),
  office('Bengaluru', 'APAC', 'Asia/Kolkata', 6, ['Chennai', 'Hyderabad', 'Mumbai']),
  office('Singapore', 'APAC', 'Asia/Singapore', 3, ['Johor Bahru', 'Kuala Lumpur', 'Singapore']),
  office('Tokyo', 'APAC', 'Asia/Tokyo', 4, ['Osaka', 'Fukuoka', 'Tokyo']),
  office('Sydney', 'APAC', 'Australia/Sydney', 3, ['Canberra', 'Melbourne', 'Sydney']),
  office('Manila', 'APAC', 'Asia/Manila', 2, ['Manila']),
];

/** Corporate VPN exits: a handful of egress addresses in a few cities, each shared by everyone of a region. */
export interface VpnExit {
  ip: string;
  city: GeoPlace;
  region: Region;
}

/** Cloud regions integrations run in. */
export const CLOUD_REGIONS = {
  'us-east-1': city('Ashburn'),
  'eu-west-1': city('Dublin'),
  'eu-central-1': city('Frankfurt'),
  'ap-southeast-1': city('Singapore'),
} as const;
export type CloudRegion = keyof typeof CLOUD_REGIONS;

/** Where attackers appear from: rented servers and proxies far from most offices. */
export const ATTACKER_CITIES: readonly GeoPlace[] = [
  'Lagos',
  'Moscow',
  'Kyiv',
  'Istanbul',
  'Cairo',
  'Beijing',
  'Hong Kong',
  'São Paulo',
  'Nairobi',
  'Seoul',
].map(city);

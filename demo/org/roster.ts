import { PROFILE_ADMIN, PROFILE_STANDARD, type ProfileName } from '../../test/standins/salesforce/generator';
import { place, type GeoPlace } from '../../test/standins/salesforce/places';

/**
 * Who works at the demo's Acme Corporation: the four Slack people of the console (their Slack
 * e-mail is their Salesforce username) and their colleagues, spread over offices on four
 * continents so the login history looks like a real company's. Fixed names keep the demo readable;
 * the seed varies only times, addresses and devices.
 */

export type PersonKey = 'ada' | 'paul' | 'quinn' | 'nora';

export interface RosterEntry {
  username: string;
  name: string;
  city: string;
  profile: ProfileName;
}

export const PEOPLE_ROSTER: Readonly<Record<PersonKey, RosterEntry>> = {
  ada: { username: 'ada@acme.com', name: 'Ada Lovelace', city: 'London', profile: PROFILE_ADMIN },
  paul: { username: 'paul@acme.com', name: 'Paul Otlet', city: 'Amsterdam', profile: PROFILE_STANDARD },
  quinn: { username: 'quinn@acme.com', name: 'Quinn Hughes', city: 'New York', profile: PROFILE_STANDARD },
  nora: { username: 'nora@acme.com', name: 'Nora Ephron', city: 'New York', profile: PROFILE_STANDARD },
};

type Colleague = [username: string, name: string, city: string, profile?: ProfileName];

const COLLEAGUES: readonly Colleague[] = [
  ['maya.patel@acme.com', 'Maya Patel', 'San Francisco', PROFILE_ADMIN],
  ['ethan.brooks@acme.com', 'Ethan Brooks', 'San Francisco'],
  ['grace.kim@acme.com', 'Grace Kim', 'Seattle'],
  ['marcus.johnson@acme.com', 'Marcus Johnson', 'New York'],
  ['sofia.rossi@acme.com', 'Sofia Rossi', 'New York'],
  ['daniel.cohen@acme.com', 'Daniel Cohen', 'Chicago'],
  ['olivia.martinez@acme.com', 'Olivia Martinez', 'Austin'],
  ['ava.thompson@acme.com', 'Ava Thompson', 'Toronto'],
  ['james.walsh@acme.com', 'James Walsh', 'London'],
  ['charlotte.evans@acme.com', 'Charlotte Evans', 'London'],
  ['oliver.bennett@acme.com', 'Oliver Bennett', 'London'],
  ['siobhan.murphy@acme.com', 'Siobhan Murphy', 'Dublin'],
  ['cian.byrne@acme.com', 'Cian Byrne', 'Dublin', PROFILE_ADMIN],
  ['lukas.schmidt@acme.com', 'Lukas Schmidt', 'Berlin'],
  ['jonas.weber@acme.com', 'Jonas Weber', 'Berlin'],
  ['lena.fischer@acme.com', 'Lena Fischer', 'Munich'],
  ['camille.laurent@acme.com', 'Camille Laurent', 'Paris'],
  ['hugo.bernard@acme.com', 'Hugo Bernard', 'Paris'],
  ['sanne.devries@acme.com', 'Sanne de Vries', 'Amsterdam'],
  ['isabel.garcia@acme.com', 'Isabel García', 'Madrid'],
  ['erik.andersson@acme.com', 'Erik Andersson', 'Stockholm'],
  ['priya.sharma@acme.com', 'Priya Sharma', 'Bengaluru'],
  ['arjun.mehta@acme.com', 'Arjun Mehta', 'Bengaluru'],
  ['ananya.iyer@acme.com', 'Ananya Iyer', 'Mumbai'],
  ['haruto.sato@acme.com', 'Haruto Sato', 'Tokyo'],
  ['yui.tanaka@acme.com', 'Yui Tanaka', 'Tokyo'],
  ['kenji.watanabe@acme.com', 'Kenji Watanabe', 'Tokyo'],
  ['wei.lim@acme.com', 'Wei Lim', 'Singapore'],
  ['lucas.oliveira@acme.com', 'Lucas Oliveira', 'São Paulo'],
  ['beatriz.santos@acme.com', 'Beatriz Santos', 'São Paulo'],
  ['jack.wilson@acme.com', 'Jack Wilson', 'Sydney'],
  ['chloe.nguyen@acme.com', 'Chloe Nguyen', 'Melbourne'],
];

export const COLLEAGUE_ROSTER: readonly RosterEntry[] = COLLEAGUES.map(([username, name, city, profile]) => ({
  username,
  name,
  city,
  profile: profile ?? PROFILE_STANDARD,
}));

/** Salesforce TimeZoneSidKey for each office city, so a user's profile matches where they log in from. */
const TIME_ZONES: Readonly<Record<string, string>> = {
  'San Francisco': 'America/Los_Angeles',
  Seattle: 'America/Los_Angeles',
  'New York': 'America/New_York',
  Chicago: 'America/Chicago',
  Austin: 'America/Chicago',
  Toronto: 'America/Toronto',
  London: 'Europe/London',
  Dublin: 'Europe/Dublin',
  Berlin: 'Europe/Berlin',
  Munich: 'Europe/Berlin',
  Paris: 'Europe/Paris',
  Amsterdam: 'Europe/Amsterdam',
  Madrid: 'Europe/Madrid',
  Stockholm: 'Europe/Stockholm',
  Bengaluru: 'Asia/Kolkata',
  Mumbai: 'Asia/Kolkata',
  Tokyo: 'Asia/Tokyo',
  Singapore: 'Asia/Singapore',
  'São Paulo': 'America/Sao_Paulo',
  Sydney: 'Australia/Sydney',
  Melbourne: 'Australia/Melbourne',
};

export function timeZoneOf(home: GeoPlace): string {
  const zone = TIME_ZONES[home.city];
  if (!zone) throw new Error(`the demo roster has no time zone for ${home.city}`);
  return zone;
}

/** The roster's office cities, in first-seen order (an office's index picks its address). */
export function officeCities(): GeoPlace[] {
  const cities = [...Object.values(PEOPLE_ROSTER), ...COLLEAGUE_ROSTER].map((entry) => entry.city);
  return [...new Set(cities)].map(place);
}

import type { Rng } from '../generator';

/**
 * Source addresses. None names a real network: offices, VPN exits and cloud egress come from the
 * documentation ranges (RFC 5737), homes and phone carriers from the benchmarking range
 * 198.18.0.0/15 (RFC 2544, 131,072 addresses: enough for one home line per person at 10,000
 * people) and the IPv6 documentation prefix 2001:db8::/32 (RFC 3849), attackers from 198.51.100.0/24.
 */

/** An office's NAT address (a few per office, as real offices have several uplinks). */
export function officeIp(officeIndex: number, uplink: number): string {
  return `203.0.113.${officeIndex * 4 + (uplink % 4) + 1}`;
}

/** The corporate VPN's egress addresses live at the top of 203.0.113.0/24. */
export function vpnIp(exit: number): string {
  return `203.0.113.${240 + exit}`;
}

/** Cloud data-centre egress (NAT gateways) of an integration in a region. */
export function cloudIp(region: number, host: number): string {
  return `192.0.2.${region * 40 + (host % 40) + 10}`;
}

/** A home broadband line: IPv4 in 198.18.0.0/15, or IPv6 for about one home in four. */
export function homeIp(personIndex: number, r: Rng): string {
  if (r.chance(0.25)) return `2001:db8:${(0x1000 + (personIndex % 0xe000)).toString(16)}::${r.between(2, 0xffff).toString(16)}`;
  const n = personIndex % 131_072;
  return `198.${18 + (n >> 16)}.${(n >> 8) & 0xff}.${n & 0xff}`;
}

/** A phone on a mobile carrier: carrier-grade NAT addresses change from day to day. */
export function carrierIp(carrier: number, r: Rng): string {
  return `2001:db8:ca${(carrier % 256).toString(16).padStart(2, '0')}:${r.int(0x10000).toString(16)}::${r.between(1, 0xffff).toString(16)}`;
}

/** A hotel's or a partner's guest network on a trip. */
export function guestIp(r: Rng): string {
  return `198.19.${r.between(200, 254)}.${r.between(1, 254)}`;
}

/** An attacker's rented server or proxy. */
export function attackerIp(n: number): string {
  return `198.51.100.${(n % 200) + 20}`;
}

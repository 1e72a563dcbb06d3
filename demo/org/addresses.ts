/**
 * Source addresses of the demo org, all from the documentation ranges (RFC 5737 / RFC 3849), so
 * nothing in the demo ever names a real network. Each kind of address has its own block, which
 * keeps an alert's IP telling at a glance: 203.0.113.x offices and data centres, 192.0.2.x and
 * 2001:db8:: homes (2001:db8:a00:: and up the attacker's rotating proxies), 198.51.100.x the attacker; phones come in through their carrier's gateways
 * (203.0.113.100 and up).
 */

/** The shared NAT address of an office, by the office's index in the roster. */
export function officeIp(officeIndex: number): string {
  return `203.0.113.${20 + officeIndex}`;
}

/** A person's home broadband address; every fifth home is on IPv6, as many ISPs are now. */
export function homeIp(userIndex: number): string {
  if (userIndex % 5 === 4) return `2001:db8:${(0x100 + userIndex).toString(16)}::${(userIndex % 200) + 10}`;
  return `192.0.2.${10 + userIndex}`;
}

/** The mobile carrier gateway a person's phone signs in through (one per person, in their city). */
export function carrierIp(userIndex: number): string {
  return `203.0.113.${100 + (userIndex % 90)}`;
}

/** The compromised colleague's own home line (kept apart from the colleagues' block). */
export const COMPROMISED_HOME_IP = '198.51.100.17';

/** Where the integration runs: two egress addresses of one cloud region. */
export const DATA_CENTRE_IPS = ['203.0.113.200', '203.0.113.201'] as const;

/**
 * A proxy the attacker rotates to, each in a network of its own (its own IPv6 /48): a proxy in
 * another country is another provider, so the victim's history never makes it look familiar.
 */
export function proxyIp(pick: number): string {
  return `2001:db8:${(0xa00 + (pick % 200)).toString(16)}::${(pick % 90) + 10}`;
}

/** An attacker's address: a rented server or a proxy, a different one each time. */
export function attackerIp(pick: number): string {
  return `198.51.100.${200 + (pick % 50)}`;
}

/**
 * Trusted networks (TRUSTED_NETWORKS): address ranges such as the corporate VPN exit, whose geo-IP
 * place says nothing about where a person is. The rules ask one question of them — is this
 * session's or login's source IP inside one of the ranges? — through the predicate built here.
 */
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

interface Network {
  address: Address;
  prefixLength: number;
}

/** An IPv4-mapped IPv6 range (::ffff:a.b.c.d/96 and longer) covers exactly this many leading bits of mapping. */
const MAPPED_PREFIX_BITS = 96;

/**
 * IPv4 is accepted only in the four-part decimal form: ipaddr.js also reads "10.1" or "0x7f.1",
 * which an operator almost certainly did not mean as a range (and a leading zero reads as octal).
 */
function parseAddress(text: string): Address | null {
  const ip = text.trim();
  if (ipaddr.IPv4.isValidFourPartDecimal(ip)) return ipaddr.IPv4.parse(ip);
  if (!ipaddr.IPv6.isValid(ip)) return null;
  const v6 = ipaddr.IPv6.parse(ip);
  // Dual-stack servers report IPv4 clients as ::ffff:a.b.c.d; they must match IPv4 ranges.
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
}

/** One CIDR range, or null when it is not one (a bare address without "/bits" is not). */
export function parseNetwork(text: string): Network | null {
  const cidr = text.trim();
  const isV4 = ipaddr.IPv4.isValidCIDRFourPartDecimal(cidr);
  if (!isV4 && !ipaddr.IPv6.isValidCIDR(cidr)) return null;
  const [address, prefixLength] = ipaddr.parseCIDR(cidr);
  // Written as ::ffff:203.0.113.0/120, it means 203.0.113.0/24: kept as IPv4 so IPv4 addresses match it.
  if (address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress() && prefixLength >= MAPPED_PREFIX_BITS) {
    return { address: address.toIPv4Address(), prefixLength: prefixLength - MAPPED_PREFIX_BITS };
  }
  return { address, prefixLength };
}

/** The entries that are not CIDR ranges, as written, for a configuration error that names them. */
export function invalidNetworks(cidrs: readonly string[]): string[] {
  return cidrs.filter((cidr) => parseNetwork(cidr) === null);
}

function contains(network: Network, address: Address): boolean {
  // ipaddr.js throws when asked to match an IPv4 address against an IPv6 range (and back).
  return address.kind() === network.address.kind() && address.match(network.address, network.prefixLength);
}

/**
 * A predicate telling whether an IP is inside any of `cidrs`. An IP that does not parse is never
 * trusted: trust must be shown, not assumed. Throws on an entry that is not a CIDR range, because
 * silently dropping one would flag every login from that network; the configuration checks the
 * entries first (invalidNetworks) so this only fires on a programming error.
 */
export function trustedNetworks(cidrs: readonly string[]): (ip: string) => boolean {
  const networks = cidrs.map((cidr) => {
    const network = parseNetwork(cidr);
    if (!network) throw new Error(`trusted network "${cidr}" is not a CIDR range such as 203.0.113.0/24 or 2001:db8::/32`);
    return network;
  });
  return (ip: string): boolean => {
    if (networks.length === 0 || typeof ip !== 'string') return false;
    const address = parseAddress(ip);
    return address !== null && networks.some((network) => contains(network, address));
  };
}

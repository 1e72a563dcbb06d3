import { invalidNetworks, parseNetwork, trustedNetworks } from '../../src/domain/networks';

describe('trustedNetworks', () => {
  const trusted = trustedNetworks(['203.0.113.0/24', ' 2001:db8::/32 ', '198.51.100.7/32', '::ffff:192.0.2.0/120']);

  it.each([
    // [ip, trusted?, why]
    ['203.0.113.9', true, 'inside an IPv4 /24'],
    ['203.0.113.0', true, 'the network address itself'],
    ['203.0.113.255', true, 'the last address of the /24'],
    ['203.0.114.1', false, 'just outside the /24'],
    ['198.51.100.7', true, 'a single address written as /32'],
    ['198.51.100.8', false, 'the neighbour of a /32'],
    ['2001:db8::1', true, 'inside an IPv6 /32'],
    ['2001:DB8:ffff::42', true, 'upper-case hex'],
    ['2001:db9::1', false, 'outside the IPv6 /32'],
    ['::ffff:203.0.113.9', true, 'IPv4-mapped IPv6 matches the IPv4 range'],
    ['::ffff:cb00:7109', true, 'IPv4-mapped IPv6 in hex form (203.0.113.9)'],
    ['::ffff:203.0.114.1', false, 'IPv4-mapped IPv6 outside the IPv4 range'],
    ['192.0.2.44', true, 'IPv4 inside a range written IPv4-mapped (::ffff:192.0.2.0/120 = 192.0.2.0/24)'],
    [' 203.0.113.9 ', true, 'surrounding whitespace'],
    ['', false, 'empty'],
    ['unknown', false, 'not an address'],
    ['203.0.113', false, 'three-part IPv4 (ipaddr.js would read it as 203.0.0.113)'],
    ['0xcb.0.113.9', false, 'hex IPv4'],
    ['203.0.113.09', false, 'leading zero (octal in some parsers)'],
    ['203.0.113.9/32', false, 'a range is not an address'],
    ['300.0.113.9', false, 'octet out of range'],
  ])('%s → %s (%s)', (ip, expected) => {
    expect(trusted(ip)).toBe(expected);
  });

  it('trusts nothing when no network is configured', () => {
    const none = trustedNetworks([]);
    expect(none('203.0.113.9')).toBe(false);
    expect(none('::1')).toBe(false);
  });

  it('does not match an IPv6 address against an IPv4 range or back', () => {
    expect(trustedNetworks(['0.0.0.0/0'])('2001:db8::1')).toBe(false);
    expect(trustedNetworks(['::/0'])('203.0.113.9')).toBe(false);
    expect(trustedNetworks(['::/0'])('2001:db8::1')).toBe(true);
    expect(trustedNetworks(['0.0.0.0/0'])('203.0.113.9')).toBe(true);
  });

  it('refuses to build a predicate over an entry that is not a range, naming it', () => {
    expect(() => trustedNetworks(['203.0.113.0/24', 'vpn.acme.com'])).toThrow('"vpn.acme.com"');
  });
});

describe('parseNetwork and invalidNetworks', () => {
  it('accepts IPv4 and IPv6 CIDRs, with host bits set', () => {
    expect(parseNetwork('203.0.113.9/24')?.prefixLength).toBe(24);
    expect(parseNetwork('2001:db8::/32')?.address.kind()).toBe('ipv6');
    expect(parseNetwork('::ffff:192.0.2.0/120')).toMatchObject({ prefixLength: 24 });
    expect(parseNetwork('::ffff:192.0.2.0/120')?.address.kind()).toBe('ipv4');
  });

  it('lists every entry that is not a CIDR range, as written', () => {
    expect(invalidNetworks(['203.0.113.0/24', '203.0.113.9', '10.0.0.0/33', '10/8', '2001:db8::/129', 'office', '2001:db8::/48'])).toEqual([
      '203.0.113.9',
      '10.0.0.0/33',
      '10/8',
      '2001:db8::/129',
      'office',
    ]);
  });
});

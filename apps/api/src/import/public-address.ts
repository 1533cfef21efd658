import ipaddr from 'ipaddr.js';

// Which URLs an import may fetch: https, to a public host. A Worker cannot see the address a name
// resolves to (its fetch resolves and connects in one step), so the names and literals decided here
// are the first line; Cloudflare's network, which does not route a Worker's subrequest to private
// or loopback addresses, is the second (docs/import.md, "Importing by URL and upload URLs").

/**
 * Names that only mean something inside a network: `localhost` and the special-use or customary
 * private suffixes (RFC 6761, RFC 6762, RFC 8375, ICANN's `.internal`). A name ending in one of
 * them (or being one) is refused. `metadata.google.internal` ends in `.internal`.
 */
const privateSuffixes = [
  'localhost',
  'local',
  'internal',
  'home.arpa',
  'localdomain',
  'lan',
  'intranet',
  'corp',
  'test',
  'invalid',
  'onion',
];

/** Global unicast IPv6 (2000::/3): everything else (ULA, link-local, mapped, compatible…) is refused. */
const globalUnicastV6 = ipaddr.parseCIDR('2000::/3');

/** Why an IP address is not public, or null when it is. */
function refusalOfAddress(address: ipaddr.IPv4 | ipaddr.IPv6): string | null {
  if (address instanceof ipaddr.IPv6) {
    // An IPv4 address written as IPv6 (`::ffff:127.0.0.1`) is judged as the IPv4 address it is.
    if (address.isIPv4MappedAddress()) return refusalOfAddress(address.toIPv4Address());
    const range = address.range();
    if (range !== 'unicast' || !address.match(globalUnicastV6)) {
      return `names a non-public IPv6 address (${range === 'unicast' ? 'not global unicast' : range})`;
    }
    return null;
  }
  const range = address.range();
  return range === 'unicast' ? null : `names a non-public IPv4 address (${range})`;
}

/**
 * Why `text` may not be fetched by an import, or null when it may: https only, no credentials in
 * the URL, and a host that is a public DNS name or a public IP address. Pure (no lookups), so each
 * redirect hop is checked the same way. The URL parser has already rewritten every IPv4 notation
 * (decimal `2130706433`, octal `0177.0.0.1`, hex `0x7f.1`) to dotted decimal, and IPv6 to its
 * compressed form; the hostname is judged after that.
 */
export function refusalOfUrl(text: string): string | null {
  if (!URL.canParse(text)) return 'is not a URL';
  const url = new URL(text);
  if (url.protocol !== 'https:') return 'must be an https URL';
  if (url.username !== '' || url.password !== '') return 'must not carry a user name or password';
  // A trailing dot names the same host (`localhost.`): judged without it.
  const host = url.hostname.replace(/\.+$/, '');
  if (host.startsWith('[') && host.endsWith(']')) {
    const inner = host.slice(1, -1);
    if (!ipaddr.IPv6.isValid(inner)) return 'names an IPv6 address that cannot be read';
    return refusalOfAddress(ipaddr.IPv6.parse(inner));
  }
  // The parser normalised IPv4 literals; ipaddr's own reading of the legacy forms is a second net.
  if (ipaddr.IPv4.isValid(host)) return refusalOfAddress(ipaddr.IPv4.parse(host));
  if (host === '') return 'has no host';
  if (!host.includes('.')) return 'must name a public DNS name (a single-label name is local)';
  const privateSuffix = privateSuffixes.find((suffix) => host === suffix || host.endsWith(`.${suffix}`));
  if (privateSuffix) return `names a host of a private domain (.${privateSuffix})`;
  // Every label numeric, yet not an address the parser accepted: not a name anyone can register.
  if (host.split('.').every((label) => /^(0x[0-9a-f]*|[0-9]+)$/.test(label))) return 'names no valid public host';
  return null;
}

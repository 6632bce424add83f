import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import ipaddr from 'ipaddr.js';

/**
 * Which destinations a webhook may reach (the SSRF guard). Refused: every address that is not a
 * public unicast one by ipaddr.js's ranges, after unwrapping IPv4-mapped IPv6 (`::ffff:127.0.0.1`):
 * loopback, private (10/8, 172.16/12, 192.168/16), unique-local (fc00::/7), link-local
 * (169.254/16 with the cloud metadata address, fe80::/10), unspecified (0.0.0.0, ::), CGNAT,
 * multicast, reserved, and the IPv6 forms that embed an IPv4 address (6to4, Teredo, NAT64).
 * `allowed` lists host names (matched exactly, case-insensitively) and IPs or CIDR ranges
 * (matched against each resolved address) that pass regardless.
 */
export class AddressGuard {
  constructor(private readonly allowed: () => readonly string[]) {}

  /** Why `address` (an IP literal) is refused for `host`, or null when it may be reached. */
  refusal(host: string, address: string): string | null {
    let parsed: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      parsed = ipaddr.process(address.replace(/^\[|\]$/g, ''));
    } catch {
      return `${address} is not an IP address`;
    }
    const range = parsed.range();
    if (range === 'unicast') return null;
    for (const entry of this.allowed()) {
      if (entry.toLowerCase() === host.toLowerCase()) return null;
      if (matchesCidr(parsed, entry)) return null;
    }
    return `${host} resolves to ${parsed.toString()} (${range}), which webhooks may not reach unless allowed in settings (webhooks.allowedHosts)`;
  }

  /** Whether `host` is on the allow-list by name. */
  hostAllowed(host: string): boolean {
    return this.allowed().some((entry) => entry.toLowerCase() === host.toLowerCase());
  }

  /**
   * A `dns.lookup` replacement for the HTTP client's sockets: resolves every address of the host
   * and fails when any is refused, so that the address checked is the address connected to (no
   * window for DNS rebinding between a check and the connect).
   */
  readonly lookup = (hostname: string, options: { all?: boolean; family?: number | string }, callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void): void => {
    dnsLookup(hostname, { all: true, family: typeof options.family === 'number' ? options.family : 0 }, (err, addresses) => {
      if (err) return callback(err, []);
      if (!this.hostAllowed(hostname)) {
        for (const { address } of addresses) {
          const refusal = this.refusal(hostname, address);
          if (refusal) return callback(Object.assign(new Error(refusal), { code: 'ERR_WEBHOOK_ADDRESS_REFUSED' }), []);
        }
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}

/** Whether `address` is `entry` (an IP) or inside it (a CIDR range); false for host names. */
function matchesCidr(address: ipaddr.IPv4 | ipaddr.IPv6, entry: string): boolean {
  try {
    const [range, bits] = entry.includes('/') ? ipaddr.parseCIDR(entry) : (() => {
      const ip = ipaddr.process(entry);
      return [ip, ip.kind() === 'ipv4' ? 32 : 128] as const;
    })();
    const target = range.kind() === 'ipv6' && address.kind() === 'ipv4' ? (address as ipaddr.IPv4).toIPv4MappedAddress() : address;
    return target.kind() === range.kind() && target.match(range, bits);
  } catch {
    return false;
  }
}

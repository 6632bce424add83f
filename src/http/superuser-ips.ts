import { BlockList, isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { PlinthApp } from '../core/app.js';
import { errors } from '../core/errors/plinth-error.js';
import { isSuperuser } from '../core/request-info.js';
import { perSnapshot } from '../core/settings/settings-service.js';
import { clientIp } from './request-info.js';

/** Compiled allowlists, once per settings snapshot's `superuserIPs` array. */
const allowList = perSnapshot((entries: readonly unknown[]): BlockList => {
  const list = new BlockList();
  for (const entry of entries) {
    if (typeof entry !== 'string') continue;
    const [address = '', prefix] = entry.trim().split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (isIP(address) === 0) continue;
    if (prefix === undefined) list.addAddress(address, family);
    else if (/^\d{1,3}$/.test(prefix)) list.addSubnet(address, Number(prefix), family);
  }
  return list;
});

/** Whether `ip` is one of `entries` (addresses or CIDR ranges); IPv4-mapped IPv6 counts as IPv4. */
export function isIpAllowed(entries: readonly unknown[], ip: string): boolean {
  const plain = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  const family = isIP(plain);
  if (family === 0) return false;
  return allowList(entries).check(plain, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * PocketBase's `superuserIPs` setting: when the list is not empty, a request authenticated as a
 * superuser from any other address is refused with 403. Register after the hook that sets
 * `request.realIp` (the rate limiter's, which honours the trusted-proxy settings).
 */
export function registerSuperuserIps(server: FastifyInstance, app: PlinthApp): void {
  // a callback hook: no promise for the common case (not a superuser, or no list)
  server.addHook('onRequest', (request, _reply, done) => {
    if (!isSuperuser(request)) return done();
    const ips = app.settings.get().superuserIPs;
    if (!Array.isArray(ips) || ips.length === 0) return done();
    done(isIpAllowed(ips, clientIp(request)) ? undefined : errors.forbidden());
  });
}

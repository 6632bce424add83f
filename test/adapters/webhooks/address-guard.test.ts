import { describe, expect, it } from 'vitest';
import { AddressGuard } from '../../../src/adapters/webhooks/address-guard.js';

const strict = new AddressGuard(() => []);

describe('AddressGuard', () => {
  it.each([
    ['127.0.0.1', 'loopback'], ['127.9.9.9', 'loopback'], ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'], ['::ffff:7f00:1', 'loopback'], ['::ffff:10.0.0.1', 'private'],
    ['10.0.0.1', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.0.1', 'private'],
    ['fc00::1', 'uniqueLocal'], ['fd12:3456::1', 'uniqueLocal'],
    ['169.254.169.254', 'linkLocal'], ['fe80::1', 'linkLocal'],
    ['0.0.0.0', 'unspecified'], ['::', 'unspecified'], ['100.64.0.1', 'carrierGradeNat'],
    ['224.0.0.1', 'multicast'], ['255.255.255.255', 'broadcast'], ['64:ff9b::7f00:1', 'rfc6052'],
  ])('refuses %s (%s)', (address, range) => {
    expect(strict.refusal('host', address)).toContain(`(${range})`);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111'])('lets the public address %s through', (address) => {
    expect(strict.refusal('host', address)).toBeNull();
  });

  it('passes what the allow-list names: host names, addresses and CIDR ranges (IPv4-mapped too)', () => {
    const guard = new AddressGuard(() => ['hooks.internal', '127.0.0.1', '10.0.0.0/8', 'fd00::/8']);
    expect(guard.refusal('hooks.internal', '192.168.1.1')).toBeNull();
    expect(guard.refusal('x', '127.0.0.1')).toBeNull();
    expect(guard.refusal('x', '::ffff:127.0.0.1')).toBeNull();
    expect(guard.refusal('x', '10.20.30.40')).toBeNull();
    expect(guard.refusal('x', 'fd00::5')).toBeNull();
    expect(guard.refusal('x', '127.0.0.2')).toContain('loopback');
    expect(guard.refusal('x', '192.168.1.1')).toContain('private');
    expect(guard.hostAllowed('HOOKS.internal')).toBe(true);
  });

  it('fails the lookup of a name that resolves to a refused address, before any connection', async () => {
    const result = await new Promise<{ err: NodeJS.ErrnoException | null }>((resolve) => strict.lookup('localhost', {}, (err) => resolve({ err })));
    expect(result.err?.code).toBe('ERR_WEBHOOK_ADDRESS_REFUSED');
    expect(result.err?.message).toMatch(/localhost resolves to .*loopback/);
    const allowed = new AddressGuard(() => ['localhost']);
    const ok = await new Promise<{ err: NodeJS.ErrnoException | null; address: unknown }>((resolve) => allowed.lookup('localhost', { all: true }, (err, address) => resolve({ err, address })));
    expect(ok.err).toBeNull();
    expect(Array.isArray(ok.address)).toBe(true);
  });
});

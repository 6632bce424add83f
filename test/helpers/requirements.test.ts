import { createServer } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { canConnect, isCi, requireService, serviceUrl } from './requirements.js';

describe('test requirements helpers', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('serviceUrl uses the PLINTH_TEST_* variables, else the loopback defaults', () => {
    vi.stubEnv('PLINTH_TEST_POSTGRES_URL', '');
    vi.stubEnv('PLINTH_TEST_MYSQL_URL', '');
    vi.stubEnv('PLINTH_TEST_REDIS_URL', 'redis://127.0.0.1:6390');
    expect(serviceUrl('postgres')).toBe('postgres://postgres@127.0.0.1:5432/test');
    expect(serviceUrl('mysql')).toBe('mysql://root@127.0.0.1:3306/test');
    expect(serviceUrl('redis')).toBe('redis://127.0.0.1:6390');
  });

  it('isCi reads CI=true', () => {
    vi.stubEnv('CI', 'true');
    expect(isCi()).toBe(true);
    vi.stubEnv('CI', '');
    expect(isCi()).toBe(false);
  });

  it('canConnect probes a TCP port', async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    expect(await canConnect('127.0.0.1', port)).toBe(true);
    await new Promise((resolve) => server.close(resolve));
    expect(await canConnect('127.0.0.1', port)).toBe(false);
  });

  it('requireService skips with one line outside CI and throws under CI', async () => {
    const closed = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => closed.once('listening', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    vi.stubEnv('PLINTH_TEST_REDIS_URL', `redis://127.0.0.1:${port}`);
    vi.stubEnv('CI', '');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await requireService('redis')).toBeNull();
      expect(log).toHaveBeenCalledTimes(1);
      expect(String(log.mock.calls[0]?.[0])).toMatch(/^skipped: redis not reachable/);
    } finally {
      log.mockRestore();
    }
    vi.stubEnv('CI', 'true');
    await expect(requireService('redis')).rejects.toThrow(/required under CI/);
  });
});

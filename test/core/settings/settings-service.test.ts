/**
 * Regression: `SettingsService.get()` deep-copied every setting on each call (~8 % of busy time
 * on writes, docs/performance.md). It now hands out one frozen snapshot until the next save.
 */
import { describe, expect, it } from 'vitest';
import { SettingsService, perSnapshot, type Settings, type SettingsRepository } from '../../../src/core/settings/settings-service.js';

function memoryRepository(initial: Settings | null = null): SettingsRepository & { saved: Settings | null } {
  return {
    saved: initial,
    async load() {
      return this.saved;
    },
    async save(settings: Settings) {
      this.saved = JSON.parse(JSON.stringify(settings)) as Settings;
    },
  };
}

describe('SettingsService snapshot (regression: get() deep-copied all settings per request)', () => {
  it('returns the same deeply frozen object until a save', async () => {
    const settings = new SettingsService(memoryRepository({ meta: { appName: 'stored' } }));
    await settings.load();
    const a = settings.get();
    expect(settings.get()).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a.meta)).toBe(true);
    expect(() => {
      (a.meta as Record<string, unknown>).appName = 'changed';
    }).toThrow(TypeError);
    expect((a.meta as Record<string, unknown>).appName).toBe('stored');
  });

  it('gives a new snapshot after save, and never freezes the patch it was given', async () => {
    const settings = new SettingsService(memoryRepository());
    await settings.load();
    const before = settings.get();
    const patch = { meta: { appName: 'next' }, batch: { enabled: true } };
    const saved = await settings.save(patch);
    expect(saved).toBe(settings.get());
    expect(saved).not.toBe(before);
    expect((saved.meta as Record<string, unknown>).appName).toBe('next');
    expect((before.meta as Record<string, unknown>).appName).not.toBe('next');
    expect(Object.isFrozen(patch.meta)).toBe(false);
    patch.meta.appName = 'mutated later';
    expect((settings.get().meta as Record<string, unknown>).appName).toBe('next');
  });

  it('copy() is a mutable deep copy', async () => {
    const settings = new SettingsService(memoryRepository());
    await settings.load();
    const copy = settings.copy();
    (copy.meta as Record<string, unknown>).appName = 'local';
    expect(Object.isFrozen(copy.meta)).toBe(false);
    expect((settings.get().meta as Record<string, unknown>).appName).not.toBe('local');
  });
});

describe('perSnapshot', () => {
  it('derives once per snapshot and again after a save', async () => {
    const settings = new SettingsService(memoryRepository());
    await settings.load();
    let runs = 0;
    const appName = perSnapshot((s: Settings) => {
      runs++;
      return (s.meta as Record<string, unknown>).appName;
    });
    appName(settings.get());
    appName(settings.get());
    expect(runs).toBe(1);
    await settings.save({ meta: { appName: 'renamed' } });
    expect(appName(settings.get())).toBe('renamed');
    expect(runs).toBe(2);
  });

  it('remembers an undefined result too', () => {
    let runs = 0;
    const nothing = perSnapshot((_s: object) => {
      runs++;
      return undefined;
    });
    const key = {};
    nothing(key);
    nothing(key);
    expect(runs).toBe(1);
  });
});

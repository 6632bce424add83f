import { describe, expect, it } from 'vitest';
import { CronScheduler } from '../../../src/core/cron/cron-scheduler.js';
import { cronExpressionError } from '../../../src/core/settings/settings-validator.js';

describe('CronScheduler', () => {
  it('never runs a job twice at once on one node', async () => {
    const crons = new CronScheduler();
    let running = 0;
    let peak = 0;
    let runs = 0;
    crons.add('slow', '* * * * *', async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 30));
      running--;
      runs++;
    });
    const outcomes: string[] = [];
    crons.onRun((_id, outcome) => outcomes.push(outcome));
    await Promise.all([crons.runNow('slow'), crons.runNow('slow'), crons.runNow('slow')]);
    await crons.idle();
    expect(peak).toBe(1);
    expect(runs).toBe(1);
    expect(outcomes.sort()).toEqual(['ok', 'skipped', 'skipped']);
  });

  it('runs once per cluster when a lock is set', async () => {
    const crons = new CronScheduler();
    crons.lock = { tryAcquire: async () => false, release: async () => undefined };
    let runs = 0;
    crons.add('job', '@hourly', () => void runs++);
    await crons.runNow('job');
    expect(runs).toBe(0);
  });

  it.each([
    ['* * * * *', true],
    ['0 */6 * * *', true],
    ['@daily', true],
    ['@hourly', true],
    ['every day', false],
    ['61 * * * *', false],
  ])('accepts %s: %s', (expression, ok) => {
    expect(cronExpressionError(expression) === null).toBe(ok);
  });

  it('answers 404 for a missing job', () => {
    expect(() => new CronScheduler().runNow('missing')).toThrow(/cron job/);
  });
});

import { Logger } from '@nestjs/common';
import { eventually } from '../testing/eventually';
import { PeriodicJob } from './periodic-job';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PeriodicJob', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['error', 'warn', 'log']));

  it('runs every interval, never two runs at once, and stop waits for the running one', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const job = new PeriodicJob({
      name: 'test',
      everyMs: 1,
      firstAfterMs: 0,
      run: async () => {
        maxRunning = Math.max(maxRunning, ++running);
        await sleep(5);
        running--;
        runs++;
      },
    });
    job.start();
    void job.runNow();
    // Waits for runs, not for a time: on a loaded machine 40 ms may hold none.
    await eventually(() => expect(runs).toBeGreaterThan(2));
    await job.stop();
    const after = runs;
    expect(running).toBe(0);
    expect(maxRunning).toBe(1);
    expect(after).toBeGreaterThan(1);
    await sleep(20);
    expect(runs).toBe(after);
  });

  it('answers runNow with the run in progress, and with the job’s own answer', async () => {
    let calls = 0;
    const job = new PeriodicJob({ name: 'test', everyMs: 60_000, run: async () => (await sleep(5), ++calls) });
    const [a, b] = await Promise.all([job.runNow(), job.runNow()]);
    expect([a, b, calls]).toEqual([1, 1, 1]);
    expect(await job.runNow()).toBe(2);
  });

  it('logs a failed run and keeps its schedule', async () => {
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    let runs = 0;
    const job = new PeriodicJob({
      name: 'flaky',
      everyMs: 1,
      firstAfterMs: 0,
      run: async () => {
        if (++runs === 1) throw new Error('database away');
      },
    });
    job.start();
    await eventually(() => expect(runs).toBeGreaterThan(1));
    await job.stop();
    expect(errors.mock.calls[0][0]).toContain('flaky run failed: Error: database away');
    errors.mockRestore();
  });
});

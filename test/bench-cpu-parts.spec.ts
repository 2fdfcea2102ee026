import { spawn } from 'node:child_process';
import { cpuMsPerOperation, machineCpu } from '../bench/lib/proc-stats';

/** The bench's reading of where a phase's CPU went (bench/lib/proc-stats.ts), which BENCHMARKS.md quotes. */
describe("the bench's CPU by part of the machine", () => {
  it('gives each part its CPU per operation and their sum as all, leaving out parts that used none', () => {
    const before = { gateway: 1, postgres: 2, other: 5 };
    const after = { gateway: 1.5, postgres: 2, other: 5.0000001, rabbitmq: 0.25 };
    expect(cpuMsPerOperation(before, after, 100)).toEqual({ gateway: 5, rabbitmq: 2.5, all: 7.5 });
    // A process that ended between the readings lowers its part; never below nothing.
    expect(cpuMsPerOperation({ postgres: 3 }, { postgres: 1 }, 10)).toEqual({ all: 0 });
    expect(cpuMsPerOperation(before, after, 0)).toEqual({});
  });

  it('counts a process it is told about under its name, and its own under bench', async () => {
    const spinner = spawn(process.execPath, ['-e', 'const end = Date.now() + 3000; while (Date.now() < end);']);
    try {
      await new Promise((resolve) => setTimeout(resolve, 800));
      const parts = machineCpu([{ name: 'spinner', pid: spinner.pid! }]);
      expect(parts.spinner).toBeGreaterThan(0);
      expect(parts.bench).toBeGreaterThan(0);
      const again = machineCpu([]);
      // Unnamed, the same process is one of the rest.
      expect(again.spinner).toBeUndefined();
      expect(again.other).toBeGreaterThanOrEqual(parts.spinner);
    } finally {
      spinner.kill();
    }
  });
});

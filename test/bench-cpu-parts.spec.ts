import { spawn } from 'node:child_process';
import { cpuMsPerOperation, CpuReading, machineCpu } from '../bench/lib/proc-stats';

/** The bench's reading of where a phase's CPU went (bench/lib/proc-stats.ts), which BENCHMARKS.md quotes. */
describe("the bench's CPU by part of the machine", () => {
  const reading = (processes: Record<string, [part: string, seconds: number]>): CpuReading =>
    new Map(Object.entries(processes).map(([key, [part, seconds]]) => [key, { part, seconds }]));

  it('gives each part its CPU per operation and their sum as all, process by process', () => {
    const before = reading({ '10@1': ['gateway', 1], '20@1': ['postgres', 2], '21@1': ['postgres', 40], '30@1': ['other', 5] });
    const after = reading({
      '10@1': ['gateway', 1.5],
      '20@1': ['postgres', 2.1],
      // 21 ended (a pooled connection's backend): its lifetime's CPU is not taken off the part.
      '22@9': ['postgres', 0.2], // started meanwhile: counts whole
      '30@1': ['other', 5.0000001], // under 0.001 ms an operation: left out
      '40@9': ['rabbitmq', 0.25],
    });
    expect(cpuMsPerOperation(before, after, 100)).toEqual({ gateway: 5, postgres: 3, rabbitmq: 2.5, all: 10.5 });
    // A pid used again by a new process (another start time) is that new process.
    expect(cpuMsPerOperation(reading({ '10@1': ['gateway', 9] }), reading({ '10@2': ['gateway', 1] }), 10)).toEqual({ gateway: 100, all: 100 });
    expect(cpuMsPerOperation(before, after, 0)).toEqual({});
  });

  it('counts a process it is told about under its name, and its own under bench', async () => {
    const spinner = spawn(process.execPath, ['-e', 'const end = Date.now() + 3000; while (Date.now() < end);']);
    try {
      await new Promise((resolve) => setTimeout(resolve, 800));
      const parts = (r: CpuReading) => [...r.values()].reduce<Record<string, number>>((o, p) => ({ ...o, [p.part]: (o[p.part] ?? 0) + p.seconds }), {});
      const named = parts(machineCpu([{ name: 'spinner', pid: spinner.pid! }]));
      expect(named.spinner).toBeGreaterThan(0);
      expect(named.bench).toBeGreaterThan(0);
      // Unnamed, the same process is one of the rest.
      const unnamed = parts(machineCpu([]));
      expect(unnamed.spinner).toBeUndefined();
      expect(unnamed.other).toBeGreaterThanOrEqual(named.spinner);
    } finally {
      spinner.kill();
    }
  });
});

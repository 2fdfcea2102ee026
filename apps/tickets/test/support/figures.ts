import { appendFileSync } from 'node:fs';

/**
 * Measured figures (durations, throughput) are written as JSON lines to TICKETS_FIGURES_FILE when it is set,
 * so a run can report them without tests printing to the console or asserting on speed.
 */
export function recordFigure(name: string, value: Record<string, unknown>): void {
  const file = process.env.TICKETS_FIGURES_FILE;
  if (file) appendFileSync(file, JSON.stringify({ name, at: new Date().toISOString(), ...value }) + '\n');
}

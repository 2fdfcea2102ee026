import { Injectable } from '@nestjs/common';

export type HealthCheck = () => Promise<void>;

export interface ReadinessReport {
  status: 'ok' | 'error';
  checks: Record<string, { status: 'up' | 'down'; error?: string; latencyMs: number }>;
}

/** Modules register what readiness depends on (database, broker); `/health/ready` runs them all. */
@Injectable()
export class HealthService {
  private readonly checks = new Map<string, HealthCheck>();
  private shuttingDown = false;

  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  /** Once shutdown starts the app reports not ready, so load balancers stop sending work. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  async readiness(timeoutMs = 2000): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks.entries()].map(async ([name, check]) => {
        const started = Date.now();
        try {
          await withTimeout(check(), timeoutMs, `${name} check timed out`);
          return [name, { status: 'up' as const, latencyMs: Date.now() - started }] as const;
        } catch (e) {
          return [name, { status: 'down' as const, error: (e as Error).message, latencyMs: Date.now() - started }] as const;
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    const up = !this.shuttingDown && entries.every(([, r]) => r.status === 'up');
    return { status: up ? 'ok' : 'error', checks };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(message)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}

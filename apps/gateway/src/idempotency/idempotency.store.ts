import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PeriodicJob } from '@app/shared/app/periodic-job';
import { GatewayDatabase } from './gateway-database';

export type Claim = { outcome: 'claimed' } | { outcome: 'replay'; status: number; body: unknown } | { outcome: 'mismatch' } | { outcome: 'in_progress' };

/** Whose key it is: a key belongs to one caller of one tenant (another caller's same key is another key). */
export interface KeyScope {
  tenantId: string;
  actorId: string;
  key: string;
}

export interface ClaimInput extends KeyScope {
  fingerprint: string;
  method: string;
  path: string;
}

/** How long a key remembers its first response. */
const RETENTION = '24 hours';
/** A claim older than this whose request never finished (gateway crashed) may be taken over. */
const ABANDONED_AFTER_MS = 5 * 60_000;

/** Idempotency keys in the gateway's schema; one row per (tenant, caller, key). */
@Injectable()
export class IdempotencyStore implements OnApplicationBootstrap, OnApplicationShutdown {
  // Hourly on every replica: a DELETE of expired rows is harmless to repeat, so no lock is taken.
  private readonly purge = new PeriodicJob({ name: 'idempotency-purge', everyMs: 3600_000, failureLevel: 'warn', run: () => this.purgeExpired() });

  constructor(private readonly db: GatewayDatabase) {}

  /**
   * Claims a key for this request in one statement: a new key, an expired one or an abandoned claim is
   * taken; otherwise the existing row says whether to replay, refuse or wait.
   */
  async claim(input: ClaimInput): Promise<Claim> {
    const taken = await this.db.query<{ claimed: boolean }>(
      `INSERT INTO idempotency_keys (tenant_id, actor_id, idempotency_key, request_fingerprint, method, path, state)
       VALUES ($1, $2, $3, $4, $5, $6, 'in_progress')
       ON CONFLICT (tenant_id, actor_id, idempotency_key) DO UPDATE
         SET request_fingerprint = EXCLUDED.request_fingerprint, method = EXCLUDED.method, path = EXCLUDED.path,
             state = 'in_progress', response_status = NULL, response_body = NULL, created_at = now(), completed_at = NULL
         WHERE idempotency_keys.created_at < now() - interval '${RETENTION}'
            OR (idempotency_keys.state = 'in_progress' AND idempotency_keys.created_at < now() - make_interval(secs => $7::double precision / 1000))
       RETURNING true AS claimed`,
      [input.tenantId, input.actorId, input.key, input.fingerprint, input.method, input.path, ABANDONED_AFTER_MS],
    );
    if (taken.length > 0) return { outcome: 'claimed' };
    const [row] = await this.db.query<{ request_fingerprint: string; state: string; response_status: number | null; response_body: unknown }>(
      `SELECT request_fingerprint, state, response_status, response_body FROM idempotency_keys WHERE tenant_id = $1 AND actor_id = $2 AND idempotency_key = $3`,
      [input.tenantId, input.actorId, input.key],
    );
    // Released between the two statements: the caller may simply try again.
    if (!row) return this.claim(input);
    if (row.request_fingerprint !== input.fingerprint) return { outcome: 'mismatch' };
    if (row.state !== 'completed') return { outcome: 'in_progress' };
    return { outcome: 'replay', status: row.response_status ?? 200, body: row.response_body };
  }

  async complete(scope: KeyScope, status: number, body: unknown): Promise<void> {
    await this.db.query(
      `UPDATE idempotency_keys SET state = 'completed', response_status = $4, response_body = $5::jsonb, completed_at = now()
       WHERE tenant_id = $1 AND actor_id = $2 AND idempotency_key = $3`,
      [scope.tenantId, scope.actorId, scope.key, status, JSON.stringify(body ?? null)],
    );
  }

  /** A request that failed leaves no trace, so the client can correct it and retry with the same key. */
  async release(scope: KeyScope): Promise<void> {
    await this.db.query(`DELETE FROM idempotency_keys WHERE tenant_id = $1 AND actor_id = $2 AND idempotency_key = $3 AND state = 'in_progress'`, [
      scope.tenantId,
      scope.actorId,
      scope.key,
    ]);
  }

  async purgeExpired(): Promise<number> {
    const rows = await this.db.query(`DELETE FROM idempotency_keys WHERE created_at < now() - interval '${RETENTION}' RETURNING 1`, []);
    return rows.length;
  }

  onApplicationBootstrap() {
    this.purge.start();
  }

  onApplicationShutdown() {
    return this.purge.stop();
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CreatedMachineCredentialView, CreateMachineCredentialDto, MachineCredentialView } from '@app/shared/api/platform/machine-credentials.dto';
import { Actor, SYSTEM_ACTORS } from '@app/shared/context/actor';
import { RequestContext, Role } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { GatewayDatabase } from '../idempotency/gateway-database';
import { apiKeyMatches, apiKeyPrefix, hashApiKey, newApiKey } from './api-keys';
import { unauthenticated } from './jwt-verifier';

interface CredentialRow {
  id: string;
  tenantId: string;
  name: string;
  actorType: 'vani' | 'system';
  roles: Role[];
  keyPrefix: string;
  secretHash: string;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface MachineCaller {
  tenantId: string;
  actor: Actor;
  roles: Role[];
}

const COLUMNS = `id, tenant_id AS "tenantId", name, actor_type AS "actorType", roles, key_prefix AS "keyPrefix", secret_hash AS "secretHash",
  created_by AS "createdBy", created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`;

/** A verified key is remembered this long: a revocation reaches the other gateway replicas within it. */
export const VERIFIED_KEY_TTL_MS = 30_000;
const VERIFIED_KEY_CACHE_SIZE = 1_000;

/**
 * Machine identities: API keys of a tenant for VaNi or an integration, in the gateway's schema. A key's
 * calls act as VaNi (the well-known actor, source vani) or as the integration (actor type system, its id
 * and name), with exactly the roles it was given. Only the key's SHA-256 is stored; the key is answered
 * once, at creation, and never logged.
 */
@Injectable()
export class MachineCredentials {
  private readonly logger = new Logger('MachineCredentials');
  /** By key hash (never the key itself), so memory holds no secret. */
  private readonly verified = new Map<string, { caller: MachineCaller; credentialId: string; until: number }>();

  constructor(private readonly db: GatewayDatabase) {}

  async create(ctx: RequestContext, input: CreateMachineCredentialDto): Promise<CreatedMachineCredentialView> {
    const key = newApiKey();
    const [row] = await this.db.query<CredentialRow>(
      `INSERT INTO machine_credentials (id, tenant_id, name, actor_type, roles, key_prefix, secret_hash, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [randomUUID(), ctx.tenantId, input.name, input.actorType, input.roles, key.prefix, key.hash, ctx.actor.id],
    );
    this.logger.log(`machine credential ${row.id} (${row.keyPrefix}, ${row.actorType}) created for tenant ${ctx.tenantId}`);
    return { ...view(row), apiKey: key.key };
  }

  async list(ctx: RequestContext): Promise<{ items: MachineCredentialView[] }> {
    const rows = await this.db.query<CredentialRow>(`SELECT ${COLUMNS} FROM machine_credentials WHERE tenant_id = $1 ORDER BY created_at DESC, id`, [
      ctx.tenantId,
    ]);
    return { items: rows.map(view) };
  }

  async revoke(ctx: RequestContext, id: string): Promise<MachineCredentialView> {
    const [row] = await this.db.query<CredentialRow>(
      // a CTE, so the driver answers rows (an UPDATE … RETURNING alone answers [rows, count])
      `WITH revoked AS (UPDATE machine_credentials SET revoked_at = COALESCE(revoked_at, now()), revoked_by = COALESCE(revoked_by, $3::uuid)
         WHERE tenant_id = $1 AND id = $2 RETURNING *)
       SELECT ${COLUMNS} FROM revoked`,
      [ctx.tenantId, id, ctx.actor.id],
    );
    if (!row) throw DomainError.notFound('machine credential', id);
    for (const [hash, entry] of this.verified) if (entry.credentialId === id) this.verified.delete(hash);
    return view(row);
  }

  /** The caller a key stands for; 401 for a malformed, unknown or revoked key (the same answer for all three). */
  async verify(token: string, now = Date.now()): Promise<MachineCaller> {
    const prefix = apiKeyPrefix(token);
    if (!prefix) throw unauthenticated('the API key is not valid');
    const hash = hashApiKey(token);
    const cached = this.verified.get(hash);
    if (cached) {
      if (cached.until > now) return cached.caller;
      this.verified.delete(hash);
    }
    const [row] = await this.db.query<CredentialRow>(`SELECT ${COLUMNS} FROM machine_credentials WHERE key_prefix = $1`, [prefix]).catch((e: unknown) => {
      // the gateway's database is unreachable: the key may be fine, the gateway cannot tell (503, not 401)
      if (e instanceof DomainError && e.code === ErrorCode.SERVICE_UNAVAILABLE)
        throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'API keys cannot be checked right now; retry shortly');
      throw e;
    });
    if (!row || row.revokedAt || !apiKeyMatches(token, row.secretHash)) throw unauthenticated('the API key is not valid');
    const caller: MachineCaller = Object.freeze({
      tenantId: row.tenantId,
      actor: row.actorType === 'vani' ? SYSTEM_ACTORS.vani : ({ type: 'system', id: row.id, name: row.name } satisfies Actor),
      roles: Object.freeze([...row.roles]) as Role[],
    });
    if (this.verified.size >= VERIFIED_KEY_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(hash, { caller, credentialId: row.id, until: now + VERIFIED_KEY_TTL_MS });
    void this.db
      .query(`UPDATE machine_credentials SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`, [
        row.id,
      ])
      .catch(() => undefined);
    return caller;
  }
}

function view(r: CredentialRow): MachineCredentialView {
  return {
    id: r.id,
    name: r.name,
    actorType: r.actorType,
    roles: r.roles,
    keyPrefix: r.keyPrefix,
    createdBy: r.createdBy,
    createdAt: new Date(r.createdAt).toISOString(),
    lastUsedAt: r.lastUsedAt ? new Date(r.lastUsedAt).toISOString() : null,
    revokedAt: r.revokedAt ? new Date(r.revokedAt).toISOString() : null,
  };
}

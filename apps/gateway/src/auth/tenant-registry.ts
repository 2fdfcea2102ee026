import { Injectable } from '@nestjs/common';
import { getTenantRegistration } from '@app/shared/api/platform/platform.operations';
import { SYSTEM_ACTORS } from '@app/shared/context/actor';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { MetricsService } from '@app/shared/observability/metrics.service';
import { ServiceRpc } from '../rpc/service-rpc';

/**
 * A registered tenant is remembered this long: one question per tenant and replica every few minutes
 * instead of one RPC per request. The API never removes a tenant; one removed by hand from the registry
 * stops being served within this time.
 */
export const REGISTERED_TENANT_TTL_MS = 5 * 60_000;
/** An unknown tenant is remembered only briefly: it may be registered a moment later. */
export const UNKNOWN_TENANT_TTL_MS = 5_000;
/** At most this many tenants are remembered (about 100 bytes each); the least recently asked goes first. */
export const TENANT_CACHE_SIZE = 10_000;

interface Remembered {
  registered: boolean;
  until: number;
}

/**
 * Whether a tenant is in the registry (owned by the events service), asked over RPC and remembered: a
 * validly signed token names its tenant, but only the registry knows that the tenant exists, so without
 * this check a token for a tenant nobody created could make data appear under it.
 *
 * While the registry cannot be asked (events down, timeout) a tenant remembered as registered is still
 * served (registrations are never withdrawn); any other tenant gets the 503/504 of the failed lookup.
 */
@Injectable()
export class TenantRegistry {
  private readonly known = new Map<string, Remembered>();
  private readonly asking = new Map<string, Promise<boolean>>();
  private readonly lookups;

  constructor(
    private readonly rpc: ServiceRpc,
    metrics: MetricsService,
  ) {
    this.lookups = metrics.counter({
      name: 'gateway_tenant_lookups_total',
      help: 'Questions the gateway asked the tenant registry (cache misses), by answer',
      labelNames: ['result'],
    });
  }

  /** 403 TENANT_UNKNOWN unless the context's tenant is registered. */
  async assertRegistered(ctx: RequestContext, now = Date.now()): Promise<void> {
    if (await this.isRegistered(ctx.tenantId, ctx.correlationId, now)) return;
    throw new DomainError(ErrorCode.TENANT_UNKNOWN, `tenant ${ctx.tenantId} is not registered`, { tenantId: ctx.tenantId });
  }

  async isRegistered(tenantId: string, correlationId: string, now = Date.now()): Promise<boolean> {
    const remembered = this.known.get(tenantId);
    if (remembered && remembered.until > now) {
      // Map order is insertion order: moving the entry to the end keeps the least recently asked first.
      this.known.delete(tenantId);
      this.known.set(tenantId, remembered);
      return remembered.registered;
    }
    // Concurrent requests of a tenant not yet known share one question.
    let pending = this.asking.get(tenantId);
    if (!pending) {
      pending = this.ask(tenantId, correlationId, remembered, now).finally(() => this.asking.delete(tenantId));
      this.asking.set(tenantId, pending);
    }
    return pending;
  }

  private async ask(tenantId: string, correlationId: string, stale: Remembered | undefined, now: number): Promise<boolean> {
    const ctx: RequestContext = { tenantId, actor: SYSTEM_ACTORS.system, roles: ['platform_admin'], correlationId };
    let registered: boolean;
    try {
      ({ registered } = await this.rpc.call(getTenantRegistration, ctx, { id: tenantId }));
    } catch (e) {
      this.lookups.inc({ result: 'error' });
      if (stale?.registered) {
        this.remember(tenantId, true, now + UNKNOWN_TENANT_TTL_MS);
        return true;
      }
      throw e;
    }
    this.lookups.inc({ result: registered ? 'registered' : 'unknown' });
    this.remember(tenantId, registered, now + (registered ? REGISTERED_TENANT_TTL_MS : UNKNOWN_TENANT_TTL_MS));
    return registered;
  }

  private remember(tenantId: string, registered: boolean, until: number): void {
    this.known.delete(tenantId);
    if (this.known.size >= TENANT_CACHE_SIZE) this.known.delete(this.known.keys().next().value as string);
    this.known.set(tenantId, { registered, until });
  }
}

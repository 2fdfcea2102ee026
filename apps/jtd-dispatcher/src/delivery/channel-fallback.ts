import { Injectable } from '@nestjs/common';
import type { Db } from '@app/shared/db/sql';
import { JobRow } from '../jobs/job-row';
import { JobRepository } from '../jobs/job.repository';
import { TenantConfig } from '../settings/tenant-config.repository';
import { StoredTemplate, TemplateRepository } from '../templates/template.repository';
import { checkRecipient } from './recipient-validator';

/** Why a fallback channel was passed over. */
export interface SkippedChannel {
  channel: string;
  reason: string;
}

/** Where a job that failed for good on its channel goes next: a channel with its address and template, or nowhere. */
export type FallbackPlan =
  { to: string; contact: string; template: Pick<StoredTemplate, 'id' | 'templateKey'>; skipped: SkippedChannel[] } | { to: null; skipped: SkippedChannel[] };

/** What a candidate channel offers this job: its address and template, or why it cannot be used. */
export type ChannelCheck = { ok: true; contact: string; template: Pick<StoredTemplate, 'id' | 'templateKey'> } | { ok: false; reason: string };

/**
 * The channels after `from` in the tenant's fallback (`{ whatsapp: 'sms', sms: 'email' }` → from whatsapp:
 * sms, email), without the channels the job has already left. Stops at a channel seen before, so a
 * fallback changed into a loop while the job was on its way still ends.
 */
export function fallbackChain(fallback: Readonly<Record<string, string>>, from: string, tried: readonly string[]): string[] {
  const seen = new Set([from, ...tried]);
  const out: string[] = [];
  for (let next = fallback[from]; next && !seen.has(next); next = fallback[next]) {
    out.push(next);
    seen.add(next);
  }
  return out;
}

/** The first channel of the chain the job can use; the ones before it, with why they were passed over. */
export function planFallback(chain: readonly string[], check: (channel: string) => ChannelCheck): FallbackPlan {
  const skipped: SkippedChannel[] = [];
  for (const channel of chain) {
    const c = check(channel);
    if (c.ok) return { to: channel, contact: c.contact, template: c.template, skipped };
    skipped.push({ channel, reason: c.reason });
  }
  return { to: null, skipped };
}

/**
 * Whether `channel` can carry the job: enabled for the tenant, not already covered by a job of the same
 * request on that channel (no second message there), an address of the recipient for it, a template for it.
 */
export function checkChannel(
  job: JobRow,
  config: TenantConfig,
  channel: string,
  template: StoredTemplate | null,
  sibling: { id: string; status: string } | null = null,
): ChannelCheck {
  if (!config.channelsEnabled[channel]) return { ok: false, reason: `channel ${channel} is not enabled for this tenant` };
  if (sibling) return { ok: false, reason: `the request already has a ${channel} job (${sibling.id}, ${sibling.status})` };
  const recipient = checkRecipient(channel, job.recipient);
  if (!recipient.ok) return { ok: false, reason: recipient.reason };
  if (!template) return { ok: false, reason: `no ${channel} template for ${job.templateKey ?? job.sourceTypeCode}` };
  return { ok: true, contact: recipient.contact, template };
}

/** The plan for one job with what it reads: the tenant's config and the templates of the candidate channels (cached). */
@Injectable()
export class ChannelFallbackPlanner {
  constructor(
    private readonly templates: TemplateRepository,
    private readonly jobs: JobRepository,
  ) {}

  async plan(db: Db, job: JobRow, config: TenantConfig): Promise<FallbackPlan> {
    const chain = fallbackChain(config.channelFallback ?? {}, job.channelCode, job.channelsTried ?? []);
    const found = new Map<string, { template: StoredTemplate | null; sibling: { id: string; status: string } | null }>();
    for (const channel of chain) {
      found.set(channel, { template: await this.templateFor(db, job, channel), sibling: await this.jobs.siblingOn(db, job, channel) });
    }
    return planFallback(chain, (channel) => checkChannel(job, config, channel, found.get(channel)!.template, found.get(channel)!.sibling));
  }

  /** The same template key on the new channel when there is one, else the source type's template of that channel. */
  private async templateFor(db: Db, job: JobRow, channel: string): Promise<StoredTemplate | null> {
    const sameKey = job.templateKey ? await this.templates.cachedResolve(db, job.tenantId, channel, job.sourceTypeCode, job.templateKey) : null;
    return sameKey ?? this.templates.cachedResolve(db, job.tenantId, channel, job.sourceTypeCode, null);
  }
}

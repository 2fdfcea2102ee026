import { Injectable } from '@nestjs/common';
import { Transactions } from '@app/shared/db/transactions';
import { JtdDispatcherConfig } from '../jtd-dispatcher.config';
import { JobRow } from '../jobs/job-row';
import { ProviderRegistry } from '../providers/provider-registry';
import { TenantConfig, TenantConfigRepository } from '../settings/tenant-config.repository';
import { ComposedMessage, MessageComposer, UnreadableSecretError } from '../templates/message-composer';
import { MissingVariableError, smsSegments } from '../templates/template-renderer';
import { StoredTemplate, TemplateRepository } from '../templates/template.repository';
import { quietHoursRelease } from './quiet-hours';
import { checkRecipient } from './recipient-validator';

/** What the per-job gates decide. */
export type GateVerdict =
  /** A permanent problem with the message itself: the job fails now, before any rate slot or quota is used. */
  | { kind: 'fail'; code: string; message: string }
  /** Quiet hours in the tenant's timezone: the job waits (`scheduled`) until they end; never dropped. */
  | { kind: 'defer'; until: Date }
  /** Ready for its rate slot and usage count. */
  | { kind: 'pass'; contact: string; template: StoredTemplate; message: ComposedMessage; config: TenantConfig };

export interface GateInputs {
  config: TenantConfig;
  /** The job's template as it is now (null: deleted since the job was created). */
  template: StoredTemplate | null;
  /** Why the tenant may not send through its provider profile (the binding was withdrawn), for a channel that uses one. */
  profileProblem: string | undefined;
  /** Dead push tokens of the job's tenant. */
  deadTokens: ReadonlySet<string>;
  /** Renders the template with the job's variables (sealed ones opened for the provider copy only). */
  render: (template: StoredTemplate) => ComposedMessage;
  smsMaxSegments: number;
  now: Date;
}

const NO_TOKENS: ReadonlySet<string> = new Set();

/**
 * The gates a claimed job passes before it may take a rate slot, in order: the provider binding of the
 * tenant's profile, the recipient on the job's channel, the template, rendering (a missing variable, a
 * sealed value that does not open), the SMS length, then quiet hours (in-app messages have none).
 */
export function gateMessage(job: JobRow, g: GateInputs): GateVerdict {
  const fail = (code: string, message: string): GateVerdict => ({ kind: 'fail', code, message });
  if (g.profileProblem) return fail('PROVIDER_PROFILE_NOT_ALLOWED', g.profileProblem);
  const recipient = checkRecipient(job.channelCode, job.recipient, g.deadTokens);
  if (!recipient.ok) return fail('INVALID_RECIPIENT', recipient.reason);
  if (!g.template) return fail('NO_TEMPLATE', `template ${job.templateKey} no longer exists`);
  let message: ComposedMessage;
  try {
    message = g.render(g.template);
  } catch (err) {
    if (err instanceof UnreadableSecretError) return fail('UNREADABLE_SECRET', err.message);
    if (err instanceof MissingVariableError) return fail('MISSING_VARIABLE', err.message);
    throw err;
  }
  if (job.channelCode === 'sms') {
    const seg = smsSegments(message.rendered.body);
    if (seg.segments > g.smsMaxSegments) return fail('SMS_TOO_LONG', `SMS needs ${seg.segments} ${seg.encoding} segments (max ${g.smsMaxSegments})`);
  }
  const { timezone, quietHoursStart, quietHoursEnd } = g.config;
  const quiet = job.channelCode === 'inapp' ? null : quietHoursRelease(g.now, timezone, quietHoursStart, quietHoursEnd);
  if (quiet) return { kind: 'defer', until: quiet };
  return { kind: 'pass', contact: recipient.contact, template: g.template, message, config: g.config };
}

/** The gates with what they read: the tenant's config and the template (per-replica cache), the provider binding, the composer. */
@Injectable()
export class MessageGates {
  constructor(
    private readonly db: Transactions,
    private readonly tenants: TenantConfigRepository,
    private readonly templates: TemplateRepository,
    private readonly providers: ProviderRegistry,
    private readonly composer: MessageComposer,
    private readonly config: JtdDispatcherConfig,
  ) {}

  async check(job: JobRow, deadTokens: ReadonlySet<string> | undefined, now: Date): Promise<GateVerdict> {
    const db = this.db.reader;
    const config = await this.tenants.cached(db, job.tenantId);
    // The profile was allowed when it was set; the binding may have been withdrawn since (JTD_TENANT_PROVIDERS).
    const profileProblem = this.providers.adapter(job.channelCode) ? this.providers.profileProblem(job.tenantId, config.providerProfile) : undefined;
    const template = !profileProblem && job.templateId ? await this.templates.cachedById(db, job.tenantId, job.templateId) : null;
    return gateMessage(job, {
      config,
      template,
      profileProblem,
      deadTokens: deadTokens ?? NO_TOKENS,
      render: (t) => this.composer.compose(t, job.variables, job.tenantId),
      smsMaxSegments: this.config.SMS_MAX_SEGMENTS,
      now,
    });
  }
}

import { Actor } from '@app/shared/context/actor';
import { JobRow } from '../jobs/job-row';
import { SendOutcome, SendRequest } from '../providers/delivery-adapter';
import { RenderedMessage } from '../templates/template-renderer';
import type { ProviderAttempt } from './provider-failover';

/** A claimed job that passed every gate: leased to this replica as `executing`, its message rendered. */
export interface PreparedSend {
  /** As moved to `executing` (attempts counted). */
  job: JobRow;
  /** Who the job's moves are made by: VaNi for the jobs it executes, else the system. */
  actor: Actor;
  /** The channel's cost per message (numeric as text). */
  channelCost: string;
  /** With sealed variables opened: for the provider only. */
  request: SendRequest;
  /** With sealed variables masked: what is stored and what an in-app reader sees. */
  shown: RenderedMessage;
  /** Clear values of sealed variables, masked in whatever is kept of the send (provider answer, errors). */
  secrets: string[];
}

/** What a send got back. */
export interface SendResult {
  send: PreparedSend;
  outcome: SendOutcome;
  latencyMs: number;
  /** A live external send: the channel's provider that answered last, and every provider's part (attempt rows). */
  provider?: string;
  attempts?: ProviderAttempt[];
  /** Test mode: the request that would have been made (secrets masked), stored with the outcome. */
  sandbox?: { provider: string; request: unknown };
}

import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';
import { ServiceConfig } from '../config/service-config';
import { sendWithNext } from '../db/begin-with-first-statement';
import { isUniqueViolation } from '../db/pg-errors';
import { ErrorCode } from '../errors/domain-error';
import { RpcResponse } from '../rpc/rpc-request';
import { SealedValue, SealedValueError, seal, sealingKey, unseal } from '../security/sealed-fields';

/** How long a second delivery of a request waits for the first one's answer to be written. */
export const ANSWER_WAIT_MS = 5000;
const ANSWER_POLL_MS = 50;
/** Request ids longer than this are not journaled (the gateway's are UUIDs). */
const MAX_ID_LENGTH = 100;
/** Journal rows only need to outlive a redelivery, which comes within the caller's timeout. */
export const REQUEST_JOURNAL_RETENTION_HOURS = 24;
/** How long an answer is held for a caller that gave its request no expiration (a Nest client, a test's). */
const DEFAULT_ANSWER_HOLD_MS = 30_000;
const MAX_ANSWER_HOLD_MS = 120_000;
/** Beyond this many held answers, new ones are written at once (memory stays bounded under any load). */
const MAX_HELD_ANSWERS = 10_000;
const SWEEP_EVERY_MS = 250;

const MARK = sendWithNext('INSERT INTO rpc_requests (request_id, operation) VALUES ($1, $2)');
const MARK_CONSTRAINT = 'rpc_requests_pkey';
/**
 * Answers are written without waiting for the WAL flush: a database crash may lose the last few, and their
 * second deliveries then answer CONFLICT (the effect stands). Waiting for it cost a commit's fsync per batch of
 * answers: in A/B trials the journal took 25 % of a transition's throughput with it and about 10 % without
 * (BENCHMARKS.md, fifteenth round). Both statements go with the COMMIT: one round trip.
 */
const ASYNC_COMMIT = sendWithNext(`SELECT set_config('synchronous_commit', 'off', true)`);
const WRITE_ANSWERS = sendWithNext(
  'UPDATE rpc_requests r SET answer = a.answer FROM unnest($1::text[], $2::jsonb[]) AS a(id, answer) WHERE r.request_id = a.id',
);

/** The journal's view of one request being handled: `marked` once a transaction of it carries its mark. */
interface JournalSlot {
  id: string;
  operation: string;
  state: 'open' | 'marked' | 'duplicate';
}

const slots = new AsyncLocalStorage<JournalSlot>();

/** What the journal needs to know of a request (the RpcServer reads it off the delivery). */
export interface JournaledRequest {
  id?: string;
  tenantId?: unknown;
  pattern: string;
  /** The broker delivered it before (to this replica or another). */
  redelivered: boolean;
  /** Its caller may send the same id again after it stopped waiting: the answer is written, not only held. */
  keepAnswer?: boolean;
  /** How long its caller waits at most (the message's expiration), counted from now. */
  expiresInMs?: number;
}

/** An answer as the journal keeps it: JSON, opened only for `sealedFor`, of use to its caller until `until`. */
interface HeldAnswer {
  json: string;
  sealedFor: string;
  until: number;
}

/** What `Transactions.run` does for the request in progress: writes its mark, reports how the transaction ended. */
export interface RequestMark {
  write(tx: EntityManager): Promise<unknown>;
  /** The transaction failed: its mark went with it (a later one writes it again), or it was a second delivery's. */
  failed(err: unknown): void;
}

/**
 * The mark the next transaction of the request in progress must carry, if it is a journaled request whose
 * work has not committed one yet. Claims it: until that transaction fails, the request's other transactions
 * (and those of work it started) carry none.
 */
export function claimRequestMark(): RequestMark | undefined {
  const slot = slots.getStore();
  if (!slot || slot.state !== 'open') return undefined;
  slot.state = 'marked';
  return {
    write: (tx) => tx.query(MARK, [slot.id, slot.operation]),
    failed: (err) => {
      if (isUniqueViolation(err, MARK_CONSTRAINT)) slot.state = 'duplicate';
      else if (slot.state === 'marked') slot.state = 'open';
    },
  };
}

/** Runs `fn` as no request's own work (a batch that serves several requests, each idempotent by its own rule). */
export function outsideRequestJournal<T>(fn: () => T): T {
  return slots.exit(fn);
}

/**
 * An RPC request has at most one effect, however often the broker delivers it. The server acknowledges a
 * request after answering it, so a replica that loses its broker connection after its commit (a node lost)
 * leaves the request to be delivered again, often while the first run is still going. The consumers' inbox
 * answers that for events; this answers it for requests:
 *
 * - The first transaction a request's handler commits carries an `rpc_requests` row keyed by the request id
 *   (sent with the transaction's next statement, so it costs no round trip). A second run of the same
 *   request writes the same key: its transaction waits for the first one's and, once that commits, fails on
 *   the key and is rolled back; if the first one rolled back, the second goes ahead as if it were the first.
 * - A second run answers the first run's answer instead of its own. That answer is kept only while someone
 *   may ask for it again:
 *   - a request its caller may send again later (`keepAnswer`: the gateway's keyed requests, whose client may
 *     retry after a timeout) has its answer written to the row, sealed (an answer may hold a secret shown
 *     once, such as a webhook's), in batches behind the replies;
 *   - any other request is redelivered only when the replica's channel closed before the broker had its
 *     acknowledgement, and its answer is only of use while the caller still waits (the request's expiration).
 *     Its answer is held in memory for that long and written to the row only if the channel closes meanwhile
 *     (`deliveriesLost`), or if the channel closed while it ran. A second delivery on the same replica takes it
 *     from memory. Writing every answer had cost a transition 10-20 % of its throughput (BENCHMARKS.md,
 *     sixteenth round).
 *   If the answer does not come within ANSWER_WAIT_MS (the first replica died between its commit and that
 *   write), the second run answers CONFLICT saying the request was carried out, so the caller reads the
 *   result rather than sending the request again.
 * - A request the broker marks redelivered looks its answer up first, so a request whose first run finished
 *   is not run at all.
 *
 * Requests that commit nothing (reads) leave no row. Rows are purged after REQUEST_JOURNAL_RETENTION_HOURS.
 */
@Injectable()
export class RequestJournal implements OnModuleDestroy {
  private readonly logger = new Logger('RequestJournal');
  private readonly key: Buffer;
  private readonly unwritten = new Map<string, SealedValue>();
  private writing?: Promise<void>;
  /** Answers held for callers that may still be waiting, by request id, oldest first. */
  private readonly held = new Map<string, HeldAnswer>();
  private sweptAt = 0;
  /** How often the replica's channel closed: a request that saw it change while running keeps its answer. */
  private losses = 0;

  constructor(
    private readonly dataSource: DataSource,
    config: ServiceConfig,
  ) {
    this.key = sealingKey(config.SEALED_FIELDS_KEY);
  }

  /**
   * Runs `handle` for the request with this id once; a second delivery gets the first one's answer. A request
   * without an id or a tenant (which answerRpc refuses anyway) runs as it is.
   */
  async answer(request: JournaledRequest, handle: () => Promise<RpcResponse>): Promise<RpcResponse> {
    const { id, tenantId } = request;
    if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH || typeof tenantId !== 'string') return handle();
    // The answer opens only for the tenant it was sealed for: a request id is no key to another tenant's answer.
    const sealedFor = `${tenantId} ${id}`;
    if (request.redelivered && (this.held.has(id) || (await this.lookup(id)) !== undefined)) return this.earlierAnswer(id, sealedFor);
    const losses = this.losses;
    const until = Date.now() + Math.min(request.expiresInMs ?? DEFAULT_ANSWER_HOLD_MS, MAX_ANSWER_HOLD_MS);
    const slot: JournalSlot = { id, operation: request.pattern, state: 'open' };
    const response = await slots.run(slot, handle);
    if (slot.state === 'duplicate') return this.earlierAnswer(id, sealedFor);
    if (slot.state !== 'marked') return response;
    const answer: HeldAnswer = { json: JSON.stringify(response), sealedFor, until };
    const askedAgainLater = request.keepAnswer || this.losses !== losses;
    // A caller that stopped waiting takes no answer: none is kept.
    if (askedAgainLater || (until > Date.now() && !this.hold(id, answer))) this.remember(id, answer);
    return response;
  }

  /**
   * The replica's channel closed: requests it had not acknowledged go to another replica, which will ask for
   * their answers. Writes those held for callers still waiting, and makes requests running now write theirs.
   */
  deliveriesLost(): void {
    this.losses++;
    const now = Date.now();
    for (const [id, answer] of this.held) if (answer.until > now) this.remember(id, answer);
    this.held.clear();
  }

  async onModuleDestroy(): Promise<void> {
    await this.writing;
  }

  /** Holds an answer until its caller stops waiting; false when too many are held already. */
  private hold(id: string, answer: HeldAnswer): boolean {
    const now = Date.now();
    if (now - this.sweptAt >= SWEEP_EVERY_MS) {
      this.sweptAt = now;
      for (const [heldId, { until }] of this.held) if (until <= now) this.held.delete(heldId);
    }
    if (this.held.size >= MAX_HELD_ANSWERS) return false;
    this.held.set(id, answer);
    return true;
  }

  /** The first run's answer, held here or once written; a CONFLICT if it does not come in time. */
  private async earlierAnswer(id: string, sealedFor: string, waitMs = ANSWER_WAIT_MS): Promise<RpcResponse> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const held = this.held.get(id);
      if (held) {
        if (held.sealedFor !== sealedFor) throw new SealedValueError('this answer was sealed for another request');
        return JSON.parse(held.json) as RpcResponse;
      }
      const stored = await this.lookup(id);
      if (stored) return JSON.parse(unseal(stored, this.key, sealedFor)) as RpcResponse;
      if (Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, ANSWER_POLL_MS));
    }
    return {
      ok: false,
      error: {
        code: ErrorCode.CONFLICT,
        message: 'this request was already carried out, and its answer was lost; read the result instead of sending it again',
      },
    };
  }

  /** undefined: no run of the request committed; null: one did, its answer is not written yet. */
  private async lookup(id: string): Promise<SealedValue | null | undefined> {
    const rows = (await this.dataSource.query('SELECT answer FROM rpc_requests WHERE request_id = $1', [id])) as Array<{ answer: SealedValue | null }>;
    return rows.length === 0 ? undefined : rows[0].answer;
  }

  /** Queues the answer, sealed; answers that come while a write is under way go together in the next. */
  private remember(id: string, { json, sealedFor }: HeldAnswer): void {
    this.unwritten.set(id, seal(json, this.key, sealedFor));
    this.writing ??= this.writeAnswers();
  }

  private async writeAnswers(): Promise<void> {
    while (this.unwritten.size > 0) {
      const batch = [...this.unwritten];
      this.unwritten.clear();
      await this.dataSource
        .transaction(async (tx) => {
          await tx.query(ASYNC_COMMIT);
          await tx.query(WRITE_ANSWERS, [batch.map(([id]) => id), batch.map(([, answer]) => JSON.stringify(answer))]);
        })
        .catch((err: Error) => this.logger.warn(`could not write ${batch.length} RPC answer(s): ${err.message}`));
    }
    // In the turn of the last emptiness check (the write fails into a warning, never a rejection): an answer
    // queued from now on starts a write of its own.
    this.writing = undefined;
  }
}

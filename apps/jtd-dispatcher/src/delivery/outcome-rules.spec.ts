import { job } from '../../test/support/unit-factories';
import { decideOutcome, OutcomeTerms, recoverLostLease } from './outcome-rules';

const NOW = new Date('2026-11-22T06:00:00Z');
const terms: OutcomeTerms = { workerId: 'replica-a', now: NOW, provider: 'msg91', cost: '0.7500', random: () => 0.5 };
const executing = (over: Parameters<typeof job>[0] = {}) => job({ status: 'executing', leaseOwner: 'replica-a', attempts: 1, ...over });

describe('send outcomes', () => {
  it('makes a job sent with the provider’s id and the channel’s cost, clearing the last error', () => {
    const move = decideOutcome(
      executing({ lastError: 'timeout' }),
      { kind: 'sent', providerMessageId: 'req-1', httpStatus: 200, response: { type: 'success' } },
      terms,
    );
    expect(move).toEqual({
      to: 'sent',
      reason: null,
      counted: 'sent',
      patch: {
        leaseOwner: null,
        leaseUntil: null,
        providerMessageId: 'req-1',
        providerCode: 'msg91',
        sentAt: NOW,
        cost: '0.7500',
        lastError: null,
        errorCode: null,
        providerResponse: { type: 'success' },
      },
    });
  });

  it('retries a retryable failure with backoff while attempts remain, then fails it for good', () => {
    const timeout = { kind: 'retryable' as const, code: 'TIMEOUT', message: 'provider did not answer in time' };
    const again = decideOutcome(executing({ attempts: 2 }), timeout, terms)!;
    expect(again).toMatchObject({
      to: 'failed',
      counted: 'retried',
      patch: { nextAttemptAt: new Date('2026-11-22T06:10:00Z'), errorCode: 'TIMEOUT', providerCode: 'msg91' },
    });
    expect(again.reason).toBe('provider did not answer in time; retry 2/3 at 2026-11-22T06:10:00.000Z');
    expect(again.details).toEqual({ code: 'TIMEOUT', httpStatus: null, retryable: true });
    expect(decideOutcome(executing({ attempts: 4 }), timeout, terms)).toMatchObject({
      to: 'failed',
      counted: 'failed',
      reason: timeout.message,
      patch: { nextAttemptAt: null },
    });
  });

  it('waits at least as long as the provider’s Retry-After asks', () => {
    const limited = decideOutcome(
      executing(),
      { kind: 'retryable', code: 'RATE_LIMITED', message: 'provider rate limit', retryAfterMs: 3_600_000, httpStatus: 429 },
      terms,
    );
    expect(limited!.patch.nextAttemptAt).toEqual(new Date('2026-11-22T07:00:00Z'));
  });

  it('fails a permanent refusal at once and remembers a dead push token', () => {
    const move = decideOutcome(
      executing({ channelCode: 'push' }),
      { kind: 'permanent', code: 'UNREGISTERED', message: 'gone', httpStatus: 404, deadToken: 'tok' },
      terms,
    );
    expect(move).toMatchObject({
      to: 'failed',
      counted: 'failed',
      patch: { nextAttemptAt: null, errorCode: 'UNREGISTERED' },
      deadToken: { token: 'tok', reason: 'UNREGISTERED' },
    });
  });

  it('records nothing for a job no longer leased to this worker, except a late success of a job recovered as UNKNOWN_OUTCOME', () => {
    const sent = { kind: 'sent' as const, providerMessageId: 'req-2' };
    expect(decideOutcome(executing({ leaseOwner: 'replica-b' }), sent, terms)).toBeNull();
    expect(decideOutcome(job({ status: 'cancelled' }), sent, terms)).toBeNull();
    const recovered = job({ status: 'failed', errorCode: 'UNKNOWN_OUTCOME' });
    expect(decideOutcome(recovered, sent, terms)).toMatchObject({ to: 'sent', patch: { errorCode: null, providerMessageId: 'req-2' } });
    expect(decideOutcome(recovered, { kind: 'permanent', code: 'HTTP_400', message: 'bad' }, terms)).toBeNull();
  });
});

describe('the crash rule (a lease that ran out mid-send)', () => {
  it('fails an external live job as UNKNOWN_OUTCOME with no automatic retry: sending again could send twice', () => {
    expect(recoverLostLease(executing({ channelCode: 'sms' }), NOW)).toMatchObject({
      to: 'failed',
      counted: 'failed',
      patch: { leaseOwner: null, leaseUntil: null, nextAttemptAt: null, errorCode: 'UNKNOWN_OUTCOME' },
    });
  });

  it('sends in-app and test-mode jobs again at once: they are idempotent by job id', () => {
    for (const j of [executing({ channelCode: 'inapp' }), executing({ isLive: false })]) {
      expect(recoverLostLease(j, NOW)).toEqual({
        to: 'pending',
        reason: 'lease expired during an idempotent send; sending again',
        counted: null,
        patch: { leaseOwner: null, leaseUntil: null, nextAttemptAt: NOW },
      });
    }
  });
});

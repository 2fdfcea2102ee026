import { job, tenantConfig, template } from '../../test/support/unit-factories';
import { checkChannel, fallbackChain, planFallback } from './channel-fallback';
import { decideOutcome, withChannelFallback } from './outcome-rules';

const NOW = new Date('2026-11-22T06:00:00Z');

describe('channel fallback planning', () => {
  const fallback = { whatsapp: 'sms', sms: 'email', push: 'inapp' };

  it('follows the tenant’s chain from the failed channel', () => {
    expect(fallbackChain(fallback, 'whatsapp', [])).toEqual(['sms', 'email']);
    expect(fallbackChain(fallback, 'sms', [])).toEqual(['email']);
    expect(fallbackChain(fallback, 'email', [])).toEqual([]);
  });

  it('never returns to a channel the job has left, even if the setting changed into a loop meanwhile', () => {
    expect(fallbackChain({ sms: 'whatsapp', whatsapp: 'email' }, 'sms', ['whatsapp'])).toEqual([]);
    expect(fallbackChain({ sms: 'email', email: 'sms' }, 'sms', [])).toEqual(['email']);
  });

  it('takes the first usable channel and names the ones passed over', () => {
    const plan = planFallback(['sms', 'email'], (c) =>
      c === 'sms' ? { ok: false, reason: 'recipient has no phone number' } : { ok: true, contact: 'a@b.co', template: { id: 't-1', templateKey: 'k' } },
    );
    expect(plan).toEqual({
      to: 'email',
      contact: 'a@b.co',
      template: { id: 't-1', templateKey: 'k' },
      skipped: [{ channel: 'sms', reason: 'recipient has no phone number' }],
    });
    expect(planFallback(['sms'], () => ({ ok: false, reason: 'x' }))).toEqual({ to: null, skipped: [{ channel: 'sms', reason: 'x' }] });
  });

  it('a channel needs to be enabled, an address of the recipient for it and a template', () => {
    const j = job({ channelCode: 'whatsapp', recipient: { type: 'customer', name: 'R', email: 'r@example.com' } });
    expect(checkChannel(j, tenantConfig({ channelsEnabled: { sms: false } }), 'sms', template())).toEqual({
      ok: false,
      reason: 'channel sms is not enabled for this tenant',
    });
    expect(checkChannel(j, tenantConfig(), 'sms', template())).toEqual({ ok: false, reason: 'recipient has no phone number' });
    expect(checkChannel(j, tenantConfig(), 'email', null)).toEqual({ ok: false, reason: `no email template for ${j.templateKey}` });
    expect(checkChannel(j, tenantConfig(), 'email', template())).toMatchObject({ ok: true, contact: 'r@example.com' });
    expect(checkChannel(j, tenantConfig(), 'email', template(), { id: 'job-2', status: 'sent' })).toEqual({
      ok: false,
      reason: 'the request already has a email job (job-2, sent)',
    });
  });

  it('moves a job that failed for good on to the next channel: due now, that channel’s address and template, a retry budget of its own', () => {
    const j = job({ channelCode: 'whatsapp', status: 'executing', leaseOwner: 'w', attempts: 4 });
    const failed = decideOutcome(
      j,
      { kind: 'permanent', code: 'HTTP_400', message: 'template not approved' },
      { workerId: 'w', now: NOW, provider: 'msg91', cost: '0.5' },
    )!;
    const move = withChannelFallback(
      failed,
      j,
      { to: 'sms', contact: '+919812345678', template: { id: 't-sms', templateKey: 'service_reminder_sms_v1' }, skipped: [] },
      NOW,
    );
    expect(move).toMatchObject({
      to: 'pending',
      path: ['failed', 'pending'],
      counted: 'fallback',
      reason: 'channel fallback whatsapp → sms: template not approved',
      details: { switch: 'channel_fallback', from: 'whatsapp', to: 'sms', code: 'HTTP_400', retryable: false },
      patch: {
        nextAttemptAt: NOW,
        attempts: 0,
        channelCode: 'sms',
        templateId: 't-sms',
        templateKey: 'service_reminder_sms_v1',
        recipientContact: '+919812345678',
        channelsTried: ['whatsapp'],
        errorCode: 'HTTP_400',
        leaseOwner: null,
      },
    });
  });

  it('with no usable channel the job stays failed and the history says why each was passed over', () => {
    const j = job({ channelCode: 'email', status: 'executing', leaseOwner: 'w', attempts: 1 });
    const failed = decideOutcome(
      j,
      { kind: 'permanent', code: 'HTTP_422', message: 'mailbox does not exist' },
      { workerId: 'w', now: NOW, provider: 'msg91', cost: '0.25' },
    )!;
    const move = withChannelFallback(failed, j, { to: null, skipped: [{ channel: 'sms', reason: 'recipient has no phone number' }] }, NOW);
    expect(move).toMatchObject({
      to: 'failed',
      counted: 'failed',
      reason: 'mailbox does not exist; no fallback channel usable (sms: recipient has no phone number)',
    });
    expect(move.details?.fallbackSkipped).toEqual([{ channel: 'sms', reason: 'recipient has no phone number' }]);
    expect(withChannelFallback(failed, j, { to: null, skipped: [] }, NOW)).toBe(failed);
  });
});

import { WebhookReport } from '../providers/delivery-adapter';
import { MatchedReport, planReports, reportDigest } from './delivery-reports';

const sms = (providerMessageId: string, status: WebhookReport['status']): WebhookReport => ({ providerMessageId, status });
const match = (report: WebhookReport, status = 'sent', id = `job-${report.providerMessageId}`): MatchedReport => ({
  report,
  job: { id, status },
  digest: reportDigest('sms', report),
});
const plan = (matched: MatchedReport[], replays: MatchedReport[] = []) =>
  planReports(matched, new Set(matched.filter((m) => !replays.includes(m)).map((m) => m.digest)));

describe('delivery reports', () => {
  it('moves a job forward only: delivered then read in one body is two rounds, in body order', () => {
    const delivered = match(sms('a', 'delivered'));
    const read = match(sms('a', 'read'));
    expect(plan([delivered, read])).toEqual({
      rounds: [[{ jobId: 'job-a', report: delivered.report }], [{ jobId: 'job-a', report: read.report }]],
      replayed: 0,
      stale: 0,
    });
  });

  it('counts a report that would move a job backwards or sideways, or a job that is not out for delivery, as stale', () => {
    expect(plan([match(sms('a', 'sent'), 'delivered'), match(sms('b', 'failed'), 'delivered'), match(sms('c', 'delivered'), 'pending')])).toMatchObject({
      rounds: [],
      stale: 3,
    });
    expect(plan([match(sms('d', 'read'), 'sent'), match(sms('d', 'delivered'), 'sent', 'job-d')])).toMatchObject({ stale: 1, rounds: [[{ jobId: 'job-d' }]] });
  });

  it('recognises a report seen before (a replay) and the same report twice in one body', () => {
    const once = match(sms('a', 'delivered'));
    const before = match(sms('b', 'delivered'));
    expect(plan([once, { ...once }, before], [before])).toMatchObject({ replayed: 2, stale: 0, rounds: [[{ jobId: 'job-a' }]] });
  });

  it('tells reports apart by channel, id, status and provider code', () => {
    const r = sms('a', 'failed');
    expect(
      new Set([
        reportDigest('sms', r),
        reportDigest('email', r),
        reportDigest('sms', { ...r, providerCode: 'NDNC' }),
        reportDigest('sms', { ...r, status: 'bounced' }),
      ]).size,
    ).toBe(4);
  });
});

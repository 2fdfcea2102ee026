import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { JobsQueries } from '../src/jobs/jobs.queries';
import { JtdTemplatesService } from '../src/templates/jtd-templates.service';
import { FakeJtdClock } from '../src/time/clock';
import { FakeProvider } from './support/fake-provider';
import { JtdInstance, request, startDispatcher, tenantWithAllChannels } from './support/jtd-harness';

/**
 * The dispatcher's inputs that name its own entities, sent with another tenant's: a template key resolves
 * in the caller's tenant (and the system's) only, a job id filter finds nothing. `sourceId` and recipient
 * ids are external references (documented on the fields); path ids: test/jtd.e2e-spec.ts.
 */
describe('another tenant’s ids in JTD requests', () => {
  let env: TestEnvironment;
  let fake: FakeProvider;
  let d: JtdInstance;
  let mine: string;
  let theirs: string;
  const clock = new FakeJtdClock(new Date('2026-11-22T06:00:00Z'));

  beforeAll(async () => {
    env = await createTestEnvironment();
    fake = await new FakeProvider().start();
    d = await startDispatcher(env, fake, clock);
    [mine, theirs] = [await tenantWithAllChannels(d.db), await tenantWithAllChannels(d.db)];
  });

  afterAll(async () => {
    await d?.app.close();
    await fake?.stop();
    await env?.dispose();
  });

  it('createJobs: another tenant’s template key is unknown here, exactly like a key nobody has', async () => {
    const templates = d.app.get(JtdTemplatesService);
    const template = await templates.create(theirs, { templateKey: 'their_private_notice', name: 'Theirs', channel: 'email', subject: 'Hi', content: 'Hello {{name}}', variables: [{ name: 'name' }] });
    const borrowed = await d.create.execute(request(mine, { channels: ['email'], templateKey: 'their_private_notice', variables: { name: 'x' } }));
    const nobodys = await d.create.execute(request(mine, { channels: ['email'], templateKey: 'nobody_has_this', variables: { name: 'x' } }));
    expect(borrowed.jobs).toEqual([]);
    expect(borrowed.skipped).toEqual([{ channel: 'email', reason: 'no email template for their_private_notice' }]);
    expect(nobodys.skipped).toEqual([{ channel: 'email', reason: 'no email template for nobody_has_this' }]);
    await expect(templates.get(mine, template.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('listSandboxMessages: a job id of another tenant finds nothing', async () => {
    const { jobs } = await d.create.execute(request(theirs, { channels: ['email'], isLive: false }));
    await d.worker.tick();
    expect((await d.app.get(JobsQueries).sandbox(theirs, { jtdId: jobs[0].id })).items).toHaveLength(1);
    expect((await d.app.get(JobsQueries).sandbox(mine, { jtdId: jobs[0].id })).items).toEqual([]);
  });
});

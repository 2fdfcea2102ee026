import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { FixedClock } from '@app/shared/time/clock';
import { ListSandboxMessagesUseCase } from '../src/jobs/use-cases/list-sandbox-messages.use-case';
import { CreateTemplateUseCase } from '../src/templates/use-cases/create-template.use-case';
import { GetTemplateUseCase } from '../src/templates/use-cases/get-template.use-case';
import { FakeProvider } from './support/fake-provider';
import { JtdInstance, request, startDispatcher, tenantWithAllChannels, userCtx } from './support/jtd-harness';

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
  const clock = new FixedClock(new Date('2026-11-22T06:00:00Z'));

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
    const templates = {
      create: (tenantId: string, dto: Parameters<CreateTemplateUseCase['execute']>[1]) => d.app.get(CreateTemplateUseCase).execute(userCtx(tenantId), dto),
      get: (tenantId: string, id: string) => d.app.get(GetTemplateUseCase).execute(userCtx(tenantId), { id }),
    };
    const template = await templates.create(theirs, {
      templateKey: 'their_private_notice',
      name: 'Theirs',
      channel: 'email',
      subject: 'Hi',
      content: 'Hello {{name}}',
      variables: [{ name: 'name' }],
    });
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
    const sandbox = (tenantId: string) => d.app.get(ListSandboxMessagesUseCase).execute(userCtx(tenantId), { jtdId: jobs[0].id });
    expect((await sandbox(theirs)).items).toHaveLength(1);
    expect((await sandbox(mine)).items).toEqual([]);
  });
});

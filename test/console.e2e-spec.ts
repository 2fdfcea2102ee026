import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { BrowserContext, Page } from 'playwright-core';
import { publishRaw, testEnvelope } from '@app/shared/messaging/testing/raw-publish';
import { serviceQueue } from '@app/shared/messaging/topology';
import { eventually } from '@app/shared/testing/eventually';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { authHeader, tokenFor, TokenInput } from '@app/shared/testing/tokens';
import { buildConsole } from '../scripts/lib/console-build';
import { BrowserGlobals, CHROMIUM, DESKTOP, launchConsoleBrowser, live, markNoReload, PHONE, SCREENSHOTS, stillSamePage } from './support/console-browser';
import { startStack, Stack } from './support/stack';

/**
 * The operations console (apps/console) in headless Chromium against the whole stack: the gateway serves the
 * console built for this file, and the page follows GET /v1/stream. Every run takes the screenshots (a page
 * that cannot be drawn fails); they replace the README's in docs/screenshots/ only with
 * `UPDATE_SCREENSHOTS=1 npx jest test/console.e2e-spec.ts`, so an ordinary run leaves the tree clean.
 */

const tenantA = randomUUID();
const tenantB = randomUUID();
const adminA: TokenInput = { tenantId: tenantA, userId: randomUUID(), roles: ['admin'], name: 'Asha Admin' };
const viewerA: TokenInput = { tenantId: tenantA, userId: randomUUID(), roles: ['viewer'], name: 'Vikram Viewer' };
const adminB: TokenInput = { tenantId: tenantB, userId: randomUUID(), roles: ['admin'], name: 'Bela Admin' };
const TECH = { userId: randomUUID(), name: 'Ravi Kumar' };

/** Today in the tenant's zone (Asia/Kolkata), and a day that many days away, as YYYY-MM-DD. */
const dayIn = (days: number) => new Date(Date.now() + 5.5 * 3600_000 + days * 86400_000).toISOString().slice(0, 10);

describe('operations console in a real browser', () => {
  let env: TestEnvironment;
  let stack: Stack;
  let context: BrowserContext;
  let profile: string;
  let built: string;
  const a = authHeader(adminA);

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does), or set CHROMIUM_PATH`);
    env = await createTestEnvironment();
    built = mkdtempSync(join(tmpdir(), 'cn-console-'));
    profile = mkdtempSync(join(tmpdir(), 'cn-chromium-'));
    const [consoleDir] = await Promise.all([buildConsole({ outDir: built })]);
    stack = await startStack(env, {
      env: {
        gateway: { CONSOLE_DIR: consoleDir, RATE_LIMIT_PER_MINUTE: '100000' },
        events: { EVENT_SCHEDULER_ENABLED: 'false' },
        'jtd-dispatcher': { JTD_POLL_INTERVAL_MS: '200' },
      },
    });
    await stack.registerTenant(tenantA, { name: 'Lakeview Facilities' });
    await stack.registerTenant(tenantB, { name: 'Other Co' });
    // The people who run the work sit in the tenant's zone (dates of events are its local days).
    context = await launchConsoleBrowser(profile);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await stack?.close();
    await env?.dispose();
    for (const dir of [built, profile]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A page of the console signed in through the link form (`/console/#token=…`), as `npm start` prints it. */
  const open = async (who: TokenInput, path = '/', viewport = DESKTOP): Promise<Page> => {
    const page = await context.newPage();
    await page.setViewportSize(viewport);
    await page.goto(`${stack.origin}/console${path}#token=${tokenFor(who)}`);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    return page;
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });

  const createContract = async (fields: { number: string; title: string; customer: string; visits?: number }) => {
    const res = await stack.http('POST', '/contracts', a, {
      contractNumber: fields.number,
      title: fields.title,
      timezone: 'Asia/Kolkata',
      customer: { name: fields.customer, email: 'facilities@lakeview.example', phone: '+919812345678' },
      startDate: dayIn(0),
      endDate: dayIn(364),
      services: [{ name: 'Chiller service visit', quantity: fields.visits ?? 12, every: { unit: 'month', interval: 1 } }],
      spareParts: [{ partId: 'FILTER-10', name: 'Air filter', promisedQty: 4 }],
      billing: { mode: 'emi', total: '120000.00', currency: 'INR', installments: 4, every: { unit: 'month', interval: 3 } },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const activate = async (id: string) => expect((await stack.http('POST', `/contracts/${id}/activate`, a)).status).toBe(200);
  const firstService = async (contractId: string) => (await stack.http('GET', `/events?contractId=${contractId}&type=service&limit=1`, a)).body.items[0];

  it('serves the console with a policy that allows only its own origin, and index.html for its own routes', async () => {
    const res = await fetch(`${stack.origin}/console/contracts/${randomUUID()}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https:|data:/);
    const html = await res.text();
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)![1];
    const asset = await fetch(`${stack.origin}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${stack.origin}/console/assets/missing-0000.js`)).status).toBe(404);
    const bare = await fetch(`${stack.origin}/console`, { redirect: 'manual' });
    expect(bare.headers.get('location')).toBe('/console/');
  });

  it('signs in with a pasted token, shows who is signed in, and signs out', async () => {
    const page = await context.newPage();
    await page.goto(`${stack.origin}/console/`);
    await page.getByLabel('Bearer token').fill('not a token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not a token' }).waitFor();
    await page.getByLabel('Bearer token').fill(tokenFor(adminB));
    await page.getByRole('button', { name: 'Sign in' }).click();
    const banner = page.getByRole('banner');
    await banner.getByText('Bela Admin').waitFor();
    await expect(banner.textContent()).resolves.toContain(`tenant ${tenantB.slice(0, 8)}`);
    await expect(banner.textContent()).resolves.toContain('admin');
    await page.getByRole('heading', { name: 'Cockpit' }).waitFor();
    // The first stop of the keyboard skips the header.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.activeElement?.textContent)).toBe('Skip to content');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Bearer token').waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).sessionStorage.length)).toBe(0);

    // The link form signs in and leaves the address without the token.
    await page.goto(`${stack.origin}/console/contracts#token=${tokenFor(viewerA)}`);
    await page.getByRole('heading', { name: 'Contracts' }).waitFor();
    expect(page.url()).toBe(`${stack.origin}/console/contracts`);
    // A viewer sees no dead letters and no settings it may not change.
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Cockpit' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Dead letters' }).count()).toBe(0);
    await page.close();
  });

  it('updates the cockpit and the timeline live when a contract is activated through the API', async () => {
    const contractId = await createContract({ number: 'AMC-2027-001', title: 'Annual maintenance of 3 chillers', customer: 'Lakeview Towers' });
    const cockpit = await open(adminA, '/');
    const timeline = await open(adminA, `/contracts/${contractId}`);
    await Promise.all([live(cockpit), live(timeline)]);
    const serviceTotal = cockpit.getByRole('row', { name: /^Service/ }).locator('[data-bucket="total"]');
    await expect(serviceTotal.textContent()).resolves.toBe('0');
    await timeline.getByText('No events yet').waitFor();
    await Promise.all([markNoReload(cockpit), markNoReload(timeline)]);

    await activate(contractId);

    await eventually(async () => expect(await serviceTotal.textContent()).toBe('12'), { timeoutMs: 15_000, intervalMs: 100 });
    await timeline.getByRole('list', { name: 'Events by date' }).getByText('TSK-00001').waitFor({ timeout: 15_000 });
    expect(await stillSamePage(cockpit)).toBe(true);
    expect(await stillSamePage(timeline)).toBe(true);
    await cockpit.getByRole('heading', { name: 'Next up' }).waitFor();
    await shot(cockpit, 'cockpit');
    await Promise.all([cockpit.close(), timeline.close()]);
  });

  it('moves a status from the timeline, asks for a reason where the flow requires one, and says when the event changed meanwhile', async () => {
    const contractId = await createContract({ number: 'AMC-2027-002', title: 'Cold room maintenance', customer: 'Harbour Foods' });
    await activate(contractId);
    const visit = await firstService(contractId);
    const page = await open(adminA, `/contracts/${contractId}?event=${visit.id}`);
    const panel = page.getByRole('complementary');
    await panel.getByRole('heading', { name: visit.title }).waitFor();

    // Escape closes the dialog and gives focus back to the button that opened it.
    const moveButton = panel.getByRole('button', { name: 'Move status…' });
    await moveButton.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('group', { name: 'Move to' }).waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await moveButton.evaluate((el) => el === (globalThis as unknown as BrowserGlobals).document.activeElement)).toBe(true);

    // Cancelling needs a reason: the form asks for it and does not send without it.
    await moveButton.click();
    await dialog.getByRole('radio', { name: /Cancelled/ }).check();
    const reason = dialog.getByRole('textbox', { name: 'Reason (required)' });
    await reason.waitFor();
    await shot(page, 'contract-timeline-move');
    await dialog.getByRole('button', { name: 'Move', exact: true }).click();
    expect(await reason.evaluate((el: { validity: { valueMissing: unknown } }) => el.validity.valueMissing)).toBe(true);
    await expect(dialog.isVisible()).resolves.toBe(true);

    // Someone else moves the event meanwhile: the page says so and shows the moves allowed now.
    expect((await stack.http('POST', `/events/${visit.id}/transitions`, a, { toStatus: 'assigned', version: visit.version })).status).toBe(200);
    await reason.fill('Customer closed the site for renovation');
    await dialog.getByRole('button', { name: 'Move', exact: true }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Someone changed this event' }).waitFor();
    await dialog.getByText(/Now Assigned/i).waitFor();

    await dialog.getByRole('radio', { name: /Cancelled/ }).check();
    await dialog.getByRole('textbox', { name: 'Reason (required)' }).fill('Customer closed the site for renovation');
    await dialog.getByRole('button', { name: 'Move', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('status').filter({ hasText: 'moved to Cancelled' }).waitFor();
    const item = page.locator(`[data-event-id="${visit.id}"]`);
    await item.getByText('Cancelled').waitFor();
    await panel.getByText('“Customer closed the site for renovation”').waitFor();
    expect((await stack.http('GET', `/events/${visit.id}`, a)).body.status).toBe('cancelled');
    await page.close();

    // A viewer may read the event but not move it: the console does not offer the move.
    const viewer = await open(viewerA, `/contracts/${contractId}?event=${visit.id}`);
    await viewer.getByRole('complementary').getByText('Your role may not move statuses.').waitFor();
    expect(await viewer.getByRole('button', { name: 'Move status…' }).count()).toBe(0);
    await viewer.close();
  });

  it('shows a week of visits by technician, and a ticket with its events, evidence and OTP state', async () => {
    const contractId = await createContract({ number: 'AMC-2027-003', title: 'Rooftop AHU service', customer: 'Lakeview Towers' });
    await activate(contractId);
    const visit = await firstService(contractId);
    const ticket = await stack.http('POST', '/tickets', a, { contractId, eventIds: [visit.id], assignees: [{ userId: TECH.userId, name: TECH.name }] });
    expect(ticket.status).toBe(201);
    const day = dayIn(1);
    const appointment = await stack.http('POST', '/appointments', a, {
      contractId,
      ticketId: ticket.body.id,
      eventIds: [visit.id],
      startsAt: `${day}T10:00:00+05:30`,
      endsAt: `${day}T12:00:00+05:30`,
      timezone: 'Asia/Kolkata',
      location: { address: 'Lakeview Towers, Plant room B2' },
      assignees: [{ userId: TECH.userId, name: TECH.name }],
    });
    expect(appointment.status).toBe(201);
    const note = await stack.http('POST', `/tickets/${ticket.body.id}/evidence`, a, {
      type: 'note',
      eventId: visit.id,
      label: 'Site access',
      note: 'Gate code given by security',
    });
    expect(note.status).toBe(201);

    const page = await open(adminA, `/calendar?week=${day}`);
    const row = page.getByRole('row', { name: new RegExp(TECH.name) });
    await row.getByText('Lakeview Towers, Plant room B2').waitFor();
    await shot(page, 'calendar');
    await row.getByRole('link').first().click();
    await page.getByRole('heading', { name: `Ticket ${ticket.body.ticketNumber}` }).waitFor();
    await page.getByRole('region', { name: 'Events' }).getByText(visit.taskId).waitFor();
    await page.getByRole('region', { name: 'Evidence' }).getByText('Site access').waitFor();
    await page.close();
  });

  it('retries a failed job from the JTD activity page and shows its status history', async () => {
    // SMS on, and a recipient without a phone: the job fails at once (permanent, no provider call).
    expect((await stack.http('PUT', '/settings/jtd', a, { channelsEnabled: { sms: true } })).status).toBe(200);
    const created = await stack.http('POST', '/jtd', a, {
      sourceType: 'service_reminder',
      sourceId: randomUUID(),
      channel: 'sms',
      recipient: { type: 'customer', name: 'Meera Shah' },
      variables: { customer_name: 'Meera', service_type: 'Chiller service', service_date: dayIn(3), tenant_name: 'Lakeview Facilities' },
    });
    expect(created.status).toBe(201);
    const jobId = created.body.items[0].id;
    await eventually(async () => expect((await stack.http('GET', `/jtd/${jobId}`, a)).body.status).toBe('failed'), { timeoutMs: 15_000, intervalMs: 100 });

    const page = await open(adminA, `/jtd?job=${jobId}`);
    const panel = page.getByRole('complementary');
    const history = panel.getByRole('list', { name: 'Status history' });
    await history.getByText('Failed').first().waitFor();
    const failedMoves = await history.getByRole('listitem').count();
    await panel.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('status').filter({ hasText: 'goes out again' }).waitFor();
    // The retry is in the history (failed → pending by this person), and the job runs again.
    await eventually(async () => expect(await history.getByRole('listitem').count()).toBeGreaterThan(failedMoves), { timeoutMs: 15_000, intervalMs: 100 });
    await history.getByText('Asha Admin').first().waitFor();
    const jobHistory = (await stack.http('GET', `/jtd/${jobId}/history`, a)).body.items;
    expect(jobHistory.map((h: { from: unknown; to: unknown }) => [h.from, h.to])).toContainEqual(['failed', 'pending']);
    await shot(page, 'jtd-activity');
    await page.close();
  });

  it('lists a dead letter with its reason and replays it', async () => {
    const broken = testEnvelope('TEST_NOT_IN_CATALOG', { anything: true }, { tenantId: tenantA });
    await publishRaw(env, [broken], serviceQueue(env.namespace, 'tickets'));
    const parked = await eventually(
      async () => {
        const items = (await stack.http('GET', '/admin/dead-letters', a)).body.items;
        expect(items).toHaveLength(1);
        return items[0];
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );

    const page = await open(adminA, '/dead-letters');
    const letter = page.locator(`[data-letter-id="${parked.id}"]`);
    await letter.getByText('Unknown type').waitFor();
    await letter.getByRole('button', { name: 'Replay' }).click();
    await page.getByRole('status').filter({ hasText: 'TEST_NOT_IN_CATALOG replayed to tickets' }).waitFor();
    await letter.getByText(/\(1×\)/).waitFor();
    // Still not in the catalog: it comes back as a new dead letter, which the page shows.
    await eventually(async () => expect(await page.getByRole('listitem').filter({ hasText: 'TEST_NOT_IN_CATALOG' }).count()).toBe(2), {
      timeoutMs: 20_000,
      intervalMs: 200,
    });
    await page.close();
  });

  it('edits a status flow as the tenant’s own and resets it to the system default', async () => {
    const page = await open(adminA, '/settings?flow=service');
    const flows = page.getByRole('region', { name: 'Status flows' });
    await flows.getByText('System default', { exact: true }).waitFor();
    const flag = flows.getByRole('checkbox', { name: 'Reason: Scheduled to Assigned' });
    await flag.check();
    await flows.getByRole('button', { name: 'Save flow' }).click();
    await flows.getByText('This tenant’s own flow').waitFor();
    const saved = (await stack.http('GET', '/settings/event-statuses/service', a)).body;
    expect(saved.isTenantOverride).toBe(true);
    expect(saved.transitions.find((t: { from: unknown; to: unknown }) => t.from === 'scheduled' && t.to === 'assigned').requiresReason).toBe(true);
    // As anyone opening the page sees it now (without the notice of the save).
    await page.reload();
    await flows.getByText('This tenant’s own flow').waitFor();
    await page.getByRole('region', { name: 'Notifications and jobs (JTD)' }).getByLabel('From').waitFor();
    await shot(page, 'settings');

    await flows.getByRole('button', { name: 'Reset to the system default…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Reset', exact: true }).click();
    await flows.getByText('System default', { exact: true }).waitFor();
    expect((await stack.http('GET', '/settings/event-statuses/service', a)).body.isTenantOverride).toBe(false);
    await page.close();
  });

  it('shows a second tenant none of the first tenant’s work', async () => {
    const page = await open(adminB, '/');
    await live(page);
    for (const type of ['Service', 'Spare part', 'Billing']) {
      await expect(
        page
          .getByRole('row', { name: new RegExp(`^${type}`) })
          .locator('[data-bucket="total"]')
          .textContent(),
      ).resolves.toBe('0');
    }
    await page.getByRole('link', { name: 'Contracts' }).click();
    await page.getByText('No contracts').waitFor();
    await page.getByRole('link', { name: 'JTD activity' }).click();
    await page.getByText('No jobs.').waitFor();
    await page.getByRole('link', { name: 'Dead letters' }).click();
    await page.getByText('No dead letters').waitFor();
    // Tenant A's work goes on; B's cockpit stays empty.
    await page.getByRole('link', { name: 'Cockpit' }).click();
    await markNoReload(page);
    const contractId = await createContract({ number: 'AMC-2027-004', title: 'Extra site', customer: 'Lakeview Towers', visits: 2 });
    await activate(contractId);
    await new Promise((r) => setTimeout(r, 1500));
    await expect(
      page
        .getByRole('row', { name: /^Service/ })
        .locator('[data-bucket="total"]')
        .textContent(),
    ).resolves.toBe('0');
    expect(await stillSamePage(page)).toBe(true);
    await page.close();
  });

  it('works at phone width: the menu opens from a button and nothing overflows sideways', async () => {
    const page = await open(adminA, '/', PHONE);
    await page.getByRole('heading', { name: 'Cockpit' }).waitFor();
    await page.getByRole('table', { name: 'Events by bucket' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Menu' }).click();
    await nav.getByRole('link', { name: 'Contracts' }).waitFor();
    await shot(page, 'phone-menu');
    await nav.getByRole('link', { name: 'Contracts' }).click();
    await page.getByRole('heading', { name: 'Contracts' }).waitFor();
    expect(await nav.isVisible()).toBe(false);
    await page.getByRole('table').getByRole('link').first().click();
    await page.getByRole('list', { name: 'Events by date' }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await shot(page, 'phone-timeline');
    await page.close();
  });
});

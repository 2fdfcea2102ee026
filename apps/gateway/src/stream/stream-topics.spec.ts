import { randomUUID } from 'node:crypto';
import { allEventDefinitions } from '@app/shared/catalog/event-catalog';
import { changeOf, changesOf, STREAM_CATEGORIES, streamedEventTypes, topicsFor } from './stream-topics';

const tenantId = randomUUID();
const envelope = (type: string, payload: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  type,
  tenantId,
  occurredAt: '2027-01-04T10:00:00.000Z',
  timestamp: '2027-01-04T10:00:00.010Z',
  payload: { tenantId, occurredAt: '2027-01-04T10:00:00.000Z', ...payload },
  ...extra,
});

describe('what the stream carries (from the event catalog)', () => {
  it('has decided about every category of the catalog', () => {
    const categories = new Set(allEventDefinitions().map((d) => d.category));
    expect([...categories].filter((c) => !STREAM_CATEGORIES.includes(c))).toEqual([]);
  });

  it('binds the types of contracts, events, tickets, appointments, jobs and inbox items, and nothing that carries a secret', () => {
    const types = streamedEventTypes();
    expect(types).toEqual(
      expect.arrayContaining([
        'CONTRACT_ACTIVATED',
        'CONTRACT_EVENT_STATUS_CHANGED',
        'CONTRACT_EVENTS_CREATED',
        'SERVICE_TICKET_CREATED',
        'APPOINTMENT_RESCHEDULED',
        'JTD_STATUS_CHANGED',
        'INAPP_NOTIFICATION_CREATED',
      ]),
    );
    expect(types).not.toContain('JTD_REQUESTED');
    expect(types).not.toContain('TENANT_CREATED');
    const sensitive = allEventDefinitions()
      .filter((d) => d.sensitive?.length)
      .map((d) => d.type);
    expect(types.filter((t) => sensitive.includes(t))).toEqual([]);
  });

  it('turns a ticket event into a ticket change with a small summary', () => {
    const ticketId = randomUUID();
    const contractId = randomUUID();
    const change = changeOf(
      envelope('SERVICE_TICKET_STATUS_CHANGED', {
        ticketId,
        ticketNumber: 'TKT-2027-00001',
        contractId,
        eventIds: [],
        previousStatus: 'created',
        newStatus: 'assigned',
        reason: 'Ravi is free',
        changedAt: '2027-01-04T10:00:00Z',
      }),
    );
    expect(change).toEqual({
      tenantId,
      topic: 'ticket',
      id: ticketId,
      type: 'SERVICE_TICKET_STATUS_CHANGED',
      at: '2027-01-04T10:00:00.000Z',
      summary: { status: 'assigned', previousStatus: 'created', ticketNumber: 'TKT-2027-00001', contractId },
    });
  });

  it('keeps customers, locations, free text and sealed values out of summaries', () => {
    const change = changeOf(
      envelope('APPOINTMENT_CREATED', {
        appointmentId: randomUUID(),
        contractId: randomUUID(),
        eventIds: [],
        startAt: '2027-01-04T10:00:00Z',
        endAt: '2027-01-04T12:00:00Z',
        timezone: 'Asia/Kolkata',
        assigneeIds: [],
        status: { $sealed: 'v1.abc.def.ghi' },
        location: { address: 'Plant room B2' },
        customer: { name: 'Lakeview', email: 'facilities@lakeview.example', phone: '+919812345678' },
      }),
    )!;
    expect(Object.keys(change.summary).sort()).toEqual(['contractId', 'endAt', 'startAt']);
    expect(JSON.stringify(change)).not.toMatch(/sealed|Lakeview|Plant room|\+91/);
  });

  it('addresses an inbox item to its user only, with its title and not its body', () => {
    const userId = randomUUID();
    const change = changeOf(
      envelope('INAPP_NOTIFICATION_CREATED', {
        notificationId: randomUUID(),
        userId,
        title: 'Visit on 4 January',
        body: 'Your code is ••••••',
        jtdId: randomUUID(),
      }),
    )!;
    expect(change).toMatchObject({ topic: 'inbox', recipient: userId, summary: { title: 'Visit on 4 January' } });
    expect(change.summary).not.toHaveProperty('body');
  });

  it('places an issue on the most specific object it names', () => {
    const base = {
      issueId: randomUUID(),
      contractId: randomUUID(),
      reportedBy: randomUUID(),
      reportedAt: '2027-01-04T10:00:00Z',
      issueType: 'venue',
      severity: 'low',
      description: 'x',
    };
    const appointmentId = randomUUID();
    expect(changeOf(envelope('EVENT_ISSUE_REPORTED', { ...base, appointmentId }))).toMatchObject({ topic: 'appointment', id: appointmentId });
    expect(changeOf(envelope('EVENT_ISSUE_REPORTED', base))).toMatchObject({ topic: 'contract', id: base.contractId });
  });

  it("turns an activation's CONTRACT_EVENTS_CREATED into one change per event it lists, skipping what it cannot place", () => {
    const contractId = randomUUID();
    const item = (taskId: string) => ({
      eventId: randomUUID(),
      contractId,
      taskId,
      eventType: 'service',
      title: `Visit ${taskId}`,
      status: 'scheduled',
      scheduledDate: '2027-02-01T04:30:00.000Z',
      originalDate: '2027-02-01T04:30:00.000Z',
      isUnlimited: false,
      source: 'system',
    });
    const [first, second] = [item('TSK-00001'), item('TSK-00002')];
    const changes = changesOf(envelope('CONTRACT_EVENTS_CREATED', { contractId, events: [first, { ...second, eventId: 'not-a-uuid' }, second, null] }));
    expect(changes).toEqual(
      [first, second].map((e) => ({
        tenantId,
        topic: 'event',
        id: e.eventId,
        type: 'CONTRACT_EVENTS_CREATED',
        at: '2027-01-04T10:00:00.000Z',
        summary: { status: 'scheduled', title: e.title, taskId: e.taskId, eventType: 'service', scheduledDate: e.scheduledDate, contractId },
      })),
    );
    // The envelope's tenant check holds for every item; a list that is not one places nothing.
    expect(changesOf(envelope('CONTRACT_EVENTS_CREATED', { contractId, events: [first], tenantId: randomUUID() }))).toEqual([]);
    expect(changesOf(envelope('CONTRACT_EVENTS_CREATED', { contractId, events: 'x' }))).toEqual([]);
    // Any other envelope: what changeOf says, as a list.
    const moved = envelope('CONTRACT_EVENT_STATUS_CHANGED', { eventId: first.eventId, contractId, newStatus: 'assigned' });
    expect(changesOf(moved)).toEqual([changeOf(moved)]);
    expect(changesOf('not an envelope')).toEqual([]);
  });

  it('ignores what it cannot place: unmapped types, another tenant in the payload, missing ids', () => {
    expect(changeOf(envelope('JTD_REQUESTED', { requestId: 'r' }))).toBeUndefined();
    expect(changeOf(envelope('SERVICE_TICKET_CREATED', { ticketId: randomUUID(), tenantId: randomUUID() }))).toBeUndefined();
    expect(changeOf(envelope('SERVICE_TICKET_CREATED', { ticketId: 'TKT-1' }))).toBeUndefined();
    expect(changeOf(envelope('INAPP_NOTIFICATION_CREATED', { notificationId: randomUUID(), title: 't' }))).toBeUndefined();
    expect(changeOf({ type: 'SERVICE_TICKET_CREATED' })).toBeUndefined();
    expect(changeOf('not an envelope')).toBeUndefined();
  });
});

describe('who gets which topic', () => {
  it('gives every topic its readers: technicians get no jobs, viewers get everything', () => {
    expect([...topicsFor({ roles: ['technician'] }, undefined).topics].sort()).toEqual(['appointment', 'contract', 'event', 'inbox', 'ticket']);
    expect([...topicsFor({ roles: ['viewer'] }, undefined).topics].sort()).toEqual(['appointment', 'contract', 'event', 'inbox', 'job', 'ticket']);
  });

  it('names the topics asked for that the caller may not read', () => {
    expect(topicsFor({ roles: ['technician'] }, 'tickets,jobs')).toEqual({ topics: new Set(['ticket']), refused: ['jobs'] });
    expect(topicsFor({ roles: ['admin'] }, 'inbox,inbox')).toEqual({ topics: new Set(['inbox']), refused: [] });
  });
});

import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode } from '../../errors/domain-error';
import { validateDto } from '../../validation/validate-dto';
import { INT4_MAX } from '../../validation/decorators';
import {
  CheckInDto,
  CheckOutDto,
  CreateAppointmentDto,
  DeclineAssignmentDto,
  EnRouteDto,
  ListAppointmentsQuery,
  OfferAssignmentDto,
  RescheduleAppointmentDto,
  TransitionAppointmentDto,
} from './appointments.dto';
import { ListEvidenceQuery, RecordEvidenceDto } from './evidence.dto';
import { ListIssuesQuery, ReportIssueDto } from './issues.dto';
import { ReplaceTicketFlowDto } from './status-flow-settings.dto';
import { AddTicketEventsDto, CreateTicketDto, ListTicketsQuery, RemoveTicketEventDto, TransitionTicketDto } from './tickets.dto';

const id = randomUUID();
const userId = randomUUID();

/** The field errors of a refused input, or a failure if it was accepted. */
async function refusal(cls: new () => object, input: unknown): Promise<Record<string, string[]>> {
  try {
    await validateDto(cls, input);
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe(ErrorCode.VALIDATION_FAILED);
    return (e as DomainError).fieldErrors ?? {};
  }
  throw new Error(`${cls.name} accepted ${JSON.stringify(input)}`);
}

const site = { lat: 12.97, lng: 77.59, verificationMethod: 'gps' };
const slot = { startsAt: '2031-01-01T10:00:00Z', endsAt: '2031-01-01T11:00:00+05:30' };

describe('tickets service inputs', () => {
  describe('check-in and check-out take the same fields', () => {
    it.each([
      ['check-in', CheckInDto],
      ['check-out', CheckOutDto],
    ])('%s takes lat, lng and verificationMethod, with accuracy optional', async (_route, cls) => {
      await expect(validateDto(cls, { id, ...site })).resolves.toMatchObject(site);
      await expect(validateDto(cls, { id, ...site, accuracy: 8 })).resolves.toMatchObject({ accuracy: 8 });
      for (const field of ['lat', 'lng', 'verificationMethod'] as const) {
        const { [field]: _left, ...rest } = site;
        expect(Object.keys(await refusal(cls, { id, ...rest }))).toContain(field);
      }
      expect(Object.keys(await refusal(cls, { id, ...site, verificationMethod: 'selfie' }))).toEqual(['verificationMethod']);
    });

    it.each([
      [{ lat: 90.0001 }, 'lat'],
      [{ lat: -91 }, 'lat'],
      [{ lng: 180.5 }, 'lng'],
      [{ lng: '77.5' }, 'lng'],
      [{ accuracy: -1 }, 'accuracy'],
    ])('refuses coordinates out of bounds: %j', async (bad, field) => {
      expect(Object.keys(await refusal(CheckInDto, { id, ...site, ...bad }))).toEqual([field]);
    });

    it('refuses a location out of bounds on a booking', async () => {
      const errors = await refusal(CreateAppointmentDto, { contractId: id, ...slot, timezone: 'UTC', location: { lat: 12, lng: 200 } });
      expect(Object.keys(errors)).toEqual(['location.lng']);
    });
  });

  describe('assignees have one shape on tickets, visits and offers', () => {
    const person = { userId, name: 'Ravi', role: 'lead' };

    it('takes the same fields everywhere, role optional everywhere', async () => {
      await expect(validateDto(CreateTicketDto, { contractId: id, eventIds: [id], assignees: [person, { userId: randomUUID() }] })).resolves.toBeDefined();
      await expect(
        validateDto(CreateAppointmentDto, { contractId: id, ...slot, timezone: 'UTC', assignees: [person, { userId: randomUUID() }] }),
      ).resolves.toBeDefined();
      await expect(validateDto(OfferAssignmentDto, { id, ...person })).resolves.toBeDefined();
      await expect(validateDto(OfferAssignmentDto, { id, userId })).resolves.toBeDefined();
    });

    it('refuses the same unknown role and the same person twice on both', async () => {
      const bad = [{ userId, role: 'driver' }];
      expect(Object.keys(await refusal(CreateTicketDto, { contractId: id, eventIds: [id], assignees: bad }))).toEqual(['assignees.0.role']);
      expect(Object.keys(await refusal(CreateAppointmentDto, { contractId: id, ...slot, timezone: 'UTC', assignees: bad }))).toEqual(['assignees.0.role']);
      const twice = [{ userId }, { userId, role: 'lead' }];
      expect(Object.keys(await refusal(CreateTicketDto, { contractId: id, eventIds: [id], assignees: twice }))).toEqual(['assignees']);
      expect(Object.keys(await refusal(CreateAppointmentDto, { contractId: id, ...slot, timezone: 'UTC', assignees: twice }))).toEqual(['assignees']);
    });
  });

  describe('the seed’s names', () => {
    it('declining takes isAvailableForFuture, and no longer availableForFuture', async () => {
      await expect(validateDto(DeclineAssignmentDto, { id, userId, reason: 'on leave', isAvailableForFuture: true })).resolves.toMatchObject({
        isAvailableForFuture: true,
      });
      const old = await refusal(DeclineAssignmentDto, { id, userId, reason: 'on leave', availableForFuture: true });
      expect(Object.keys(old).sort()).toEqual(['availableForFuture', 'isAvailableForFuture']);
    });

    it('an issue takes immediateActionTaken, and no longer immediateAction', async () => {
      const issue = { id, type: 'kit', severity: 'high', description: 'compressor leaks' };
      await expect(validateDto(ReportIssueDto, { ...issue, immediateActionTaken: 'valve closed' })).resolves.toMatchObject({
        immediateActionTaken: 'valve closed',
      });
      expect(Object.keys(await refusal(ReportIssueDto, { ...issue, immediateAction: 'valve closed' }))).toEqual(['immediateAction']);
    });
  });

  it('takes toStatus on every transition', async () => {
    await expect(validateDto(TransitionTicketDto, { id, toStatus: 'in_progress', version: 1 })).resolves.toBeDefined();
    await expect(validateDto(TransitionAppointmentDto, { id, toStatus: 'confirmed' })).resolves.toBeDefined();
    expect(Object.keys(await refusal(TransitionTicketDto, { id, status: 'in_progress', version: 1 })).sort()).toEqual(['status', 'toStatus']);
    expect(Object.keys(await refusal(TransitionAppointmentDto, { id, status: 'confirmed' })).sort()).toEqual(['status', 'toStatus']);
  });

  it.each([
    ['tickets', ListTicketsQuery, {}],
    ['appointments', ListAppointmentsQuery, {}],
    ['evidence', ListEvidenceQuery, { id }],
    ['issues', ListIssuesQuery, { id }],
  ])('takes limit (1–200, from the query string) and cursor on the %s list', async (_list, cls, path) => {
    await expect(validateDto(cls as new () => object, { ...path, limit: '20', cursor: 'abc' })).resolves.toMatchObject({ limit: 20, cursor: 'abc' });
    expect(Object.keys(await refusal(cls as new () => object, { ...path, limit: '201' }))).toEqual(['limit']);
    expect(Object.keys(await refusal(cls as new () => object, { ...path, limit: '0' }))).toEqual(['limit']);
  });

  it('refuses a version beyond a PostgreSQL integer, in a body and in a query string', async () => {
    const tooBig = INT4_MAX + 1;
    const transition = await refusal(TransitionTicketDto, { id, toStatus: 'in_progress', version: tooBig });
    expect(transition.version[0]).toMatch(/version is required: send the version you read/);
    expect(Object.keys(await refusal(AddTicketEventsDto, { id, eventIds: [id], version: tooBig }))).toEqual(['version']);
    expect(Object.keys(await refusal(RemoveTicketEventDto, { id, eventId: id, version: String(tooBig) }))).toEqual(['version']);
    expect(Object.keys(await refusal(RescheduleAppointmentDto, { id, ...slot, reason: 'x', version: tooBig }))).toEqual(['version']);
    await expect(validateDto(RemoveTicketEventDto, { id, eventId: id, version: String(INT4_MAX) })).resolves.toMatchObject({ version: INT4_MAX });
  });

  it.each([
    ['a 30th of February', CreateAppointmentDto, { contractId: id, startsAt: '2031-02-30T10:00:00Z', endsAt: slot.endsAt, timezone: 'UTC' }, 'startsAt'],
    ['a time without offset', CreateTicketDto, { contractId: id, eventIds: [id], scheduledFor: '2031-01-01T10:00:00' }, 'scheduledFor'],
    ['a 13th month', EnRouteDto, { id, userId, eta: '2031-13-01T10:00:00Z' }, 'eta'],
    ['a year 0', ListAppointmentsQuery, { from: '0000-01-01T00:00:00Z' }, 'from'],
  ])('refuses an impossible date: %s', async (_what, cls, input, field) => {
    expect(Object.keys(await refusal(cls as new () => object, input))).toEqual([field]);
  });

  it('refuses a status flow without its required lists', async () => {
    const status = { code: 'open', label: 'Open', order: 1, isInitial: true, isTerminal: false };
    expect(Object.keys(await refusal(ReplaceTicketFlowDto, { statuses: [status] }))).toEqual(['transitions']);
    expect(Object.keys(await refusal(ReplaceTicketFlowDto, { transitions: [] }))).toEqual(['statuses']);
    expect(Object.keys(await refusal(ReplaceTicketFlowDto, { statuses: [null], transitions: [] })).length).toBeGreaterThan(0);
  });

  it('refuses unknown fields, and checks the file the gateway forwards', async () => {
    expect(Object.keys(await refusal(RecordEvidenceDto, { id, type: 'note', note: 'x', colour: 'red' }))).toEqual(['colour']);
    const file = await refusal(RecordEvidenceDto, {
      id,
      type: 'photo',
      file: { storageKey: `${id}/uploads/${id}`, fileName: 'a.png', contentType: 'image/png', size: 1, sha256: 'x' },
    });
    expect(Object.keys(file)).toEqual(['file.sha256']);
    const elsewhere = await refusal(RecordEvidenceDto, {
      id,
      type: 'photo',
      file: { storageKey: '../secrets', fileName: 'a.png', contentType: 'image/png', size: 1, sha256: 'a'.repeat(64) },
    });
    expect(Object.keys(elsewhere)).toEqual(['file.storageKey']);
  });
});

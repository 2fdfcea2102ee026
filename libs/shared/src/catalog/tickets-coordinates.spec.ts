import { findEventDefinition, validateEventPayload } from './event-catalog';

/** The catalog takes every coordinate the inputs take: a fix near the equator written with an exponent included. */
describe('coordinates in the tickets catalog', () => {
  const envelopeFields = { tenantId: '00000000-0000-4000-8000-0000000000aa', occurredAt: '2026-05-01T08:00:00.000Z' };
  const base = {
    ...envelopeFields,
    assignmentId: '00000000-0000-4000-8000-000000000001',
    appointmentId: '00000000-0000-4000-8000-000000000002',
    contractId: '00000000-0000-4000-8000-000000000003',
    eventIds: [],
    userId: '00000000-0000-4000-8000-000000000004',
    checkedInAt: '2026-05-01T08:00:00.000Z',
    verificationMethod: 'gps',
  };

  it('accepts 1e-7 degrees and refuses a latitude beyond 90', () => {
    const def = findEventDefinition('STAFF_CHECKED_IN')!;
    expect(validateEventPayload(def, { ...base, location: { latitude: 1e-7, longitude: -1e-7 } }, true)).toBeUndefined();
    expect(validateEventPayload(def, { ...base, location: { latitude: 90.5, longitude: 0 } }, true)).toEqual({ 'location.latitude': expect.any(Array) });
  });

  it('checks LOCATION_CONFIRMED coordinates the same way', () => {
    const def = findEventDefinition('LOCATION_CONFIRMED')!;
    const payload = {
      ...envelopeFields,
      eventIds: [],
      locationId: base.appointmentId,
      appointmentId: base.appointmentId,
      contractId: base.contractId,
      confirmedBy: base.userId,
      confirmedAt: base.checkedInAt,
    };
    expect(validateEventPayload(def, { ...payload, latitude: 5e-324, longitude: 0 }, true)).toBeUndefined();
    expect(validateEventPayload(def, { ...payload, latitude: 0, longitude: 181 }, true)).toEqual({ longitude: expect.any(Array) });
  });
});

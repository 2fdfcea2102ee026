import { fingerprintOf, requestIdOf } from './idempotent-requests';

describe('fingerprintOf', () => {
  it('is the same for the same input with its keys in another order, nested too', () => {
    expect(fingerprintOf('createTicket', { a: 1, b: { c: [1, { d: 2, e: 3 }] } })).toBe(fingerprintOf('createTicket', { b: { c: [1, { e: 3, d: 2 }] }, a: 1 }));
  });

  it('differs when a value, the array order or the operation differs', () => {
    const base = fingerprintOf('createTicket', { a: [1, 2] });
    expect(fingerprintOf('createTicket', { a: [2, 1] })).not.toBe(base);
    expect(fingerprintOf('createTicket', { a: [1, 2, 3] })).not.toBe(base);
    expect(fingerprintOf('createAppointment', { a: [1, 2] })).not.toBe(base);
  });

  it('covers an uploaded file: the same fields with other bytes are another request', () => {
    const fields = { id: 'x', type: 'photo' };
    expect(fingerprintOf('recordEvidence', { ...fields, file: { fileName: 'a.jpg', contentBase64: 'AAAA' } })).not.toBe(
      fingerprintOf('recordEvidence', { ...fields, file: { fileName: 'a.jpg', contentBase64: 'AAAB' } }),
    );
  });
});

describe('requestIdOf', () => {
  const scope = { tenantId: 't-1', actorId: 'u-1', key: 'order-42' };
  const fingerprint = fingerprintOf('createTicket', { a: 1 });

  it('gives a retry of the same request the same id, in the form of a UUID', () => {
    expect(requestIdOf(scope, fingerprint)).toBe(requestIdOf({ ...scope }, fingerprint));
    expect(requestIdOf(scope, fingerprint)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('gives another caller, tenant, key or request another id', () => {
    const id = requestIdOf(scope, fingerprint);
    expect(requestIdOf({ ...scope, actorId: 'u-2' }, fingerprint)).not.toBe(id);
    expect(requestIdOf({ ...scope, tenantId: 't-2' }, fingerprint)).not.toBe(id);
    expect(requestIdOf({ ...scope, key: 'order-43' }, fingerprint)).not.toBe(id);
    expect(requestIdOf(scope, fingerprintOf('createTicket', { a: 2 }))).not.toBe(id);
  });
});

import { fingerprintOf } from './idempotent-requests';

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

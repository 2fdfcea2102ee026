import type { FastifyRequest } from 'fastify';
import { fingerprintOf } from './idempotency.interceptor';

const req = (url: string, body: unknown) => ({ method: 'POST', url, body }) as FastifyRequest;

describe('fingerprintOf', () => {
  it('is the same for the same body with its keys in another order, nested too', () => {
    expect(fingerprintOf(req('/v1/tickets', { a: 1, b: { c: [1, { d: 2, e: 3 }] } }))).toBe(
      fingerprintOf(req('/v1/tickets', { b: { c: [1, { e: 3, d: 2 }] }, a: 1 })),
    );
  });

  it('differs when a value, the array order or the path differs', () => {
    const base = fingerprintOf(req('/v1/tickets', { a: [1, 2] }));
    expect(fingerprintOf(req('/v1/tickets', { a: [2, 1] }))).not.toBe(base);
    expect(fingerprintOf(req('/v1/tickets', { a: [1, 2, 3] }))).not.toBe(base);
    expect(fingerprintOf(req('/v1/appointments', { a: [1, 2] }))).not.toBe(base);
  });
});

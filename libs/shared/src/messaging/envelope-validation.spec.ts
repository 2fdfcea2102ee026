import './testing/test-events.fixture';
import { randomUUID } from 'node:crypto';
import { checkIncoming } from './envelope-validation';
import { testEnvelope } from './testing/raw-publish';

describe('checkIncoming', () => {
  const widget = () => testEnvelope('TEST_WIDGET_CHANGED', { widgetId: randomUUID(), n: 1 });

  it('accepts a well-formed envelope of a catalog type', () => {
    const env = widget();
    expect(checkIncoming(Buffer.from(JSON.stringify(env)))).toEqual({ ok: true, envelope: env });
  });

  it('tolerates payload fields its catalog does not know yet (a newer producer)', () => {
    const env = widget();
    (env.payload as Record<string, unknown>).addedLater = 'x';
    expect(checkIncoming(JSON.stringify(env)).ok).toBe(true);
  });

  it('rejects a body that is not a JSON object as unparseable', () => {
    expect(checkIncoming('{nope')).toMatchObject({ ok: false, reason: 'unparseable' });
    expect(checkIncoming('[1,2]')).toMatchObject({ ok: false, reason: 'unparseable' });
  });

  it('names each broken envelope field', () => {
    const env = { ...widget(), id: 'x', tenantId: 'y', actor: { type: 'robot', id: '1', name: 'R2' }, aggregateVersion: -1 };
    const result = checkIncoming(JSON.stringify(env));
    expect(result).toMatchObject({ ok: false, reason: 'invalid_envelope' });
    expect(Object.keys((result as { errors: object }).errors).sort()).toEqual(['actor', 'aggregateVersion', 'id', 'tenantId']);
  });

  it('rejects a type that is not in the catalog', () => {
    const result = checkIncoming(JSON.stringify(testEnvelope('NOT_A_REAL_EVENT', {})));
    expect(result).toMatchObject({ ok: false, reason: 'unknown_type', errors: { type: ['NOT_A_REAL_EVENT is not in the event catalog'] } });
  });

  it('rejects an invalid payload with the field paths', () => {
    const result = checkIncoming(JSON.stringify(testEnvelope('TEST_WIDGET_CHANGED', { widgetId: 'w', n: -2 })));
    expect(result).toMatchObject({ ok: false, reason: 'invalid_payload' });
    expect(Object.keys((result as { errors: object }).errors).sort()).toEqual(['payload.n', 'payload.widgetId']);
  });

  it('rejects a payload whose tenant differs from the envelope tenant', () => {
    const env = widget();
    env.payload = { ...env.payload, tenantId: randomUUID() };
    expect(checkIncoming(JSON.stringify(env))).toMatchObject({ ok: false, reason: 'invalid_payload', errors: { 'payload.tenantId': expect.any(Array) } });
  });
});

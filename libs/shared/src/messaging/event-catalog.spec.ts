import { IsString } from 'class-validator';
import {
  allEventDefinitions,
  catalogEntry,
  findEventDefinition,
  payloadJsonSchema,
  registerEventDefinitions,
  validateEventPayload,
} from '../catalog/event-catalog';
import { defineEvent, DomainEventPayload, payloadSchemaRef, RETENTION_DAYS } from './event-definition';

class SpecThingHappenedPayload extends DomainEventPayload {
  @IsString()
  thing!: string;
}

const SPEC_THING_HAPPENED = defineEvent({
  type: 'SPEC_THING_HAPPENED',
  payload: SpecThingHappenedPayload,
  version: 2,
  category: 'Spec',
  description: 'Only in this spec.',
  retention: 'kit',
  producers: ['tickets'],
});

describe('event catalog', () => {
  it('generates a JSON Schema for every production type, requiring tenantId and occurredAt', () => {
    expect(allEventDefinitions().length).toBeGreaterThan(0);
    for (const def of allEventDefinitions()) {
      const schema = payloadJsonSchema(def);
      expect(schema).toMatchObject({ $id: payloadSchemaRef(def), type: 'object' });
      expect(schema.required).toEqual(expect.arrayContaining(['tenantId', 'occurredAt']));
      // every $ref points at a definition shipped with the schema
      const refs = JSON.stringify(schema).match(/#\/definitions\/[A-Za-z0-9_]+/g) ?? [];
      for (const ref of refs) expect(schema.definitions).toHaveProperty(ref.slice('#/definitions/'.length));
    }
  });

  it('lists a type with its schema ref, retention in days and producers', () => {
    registerEventDefinitions([SPEC_THING_HAPPENED]);
    expect(catalogEntry(findEventDefinition('SPEC_THING_HAPPENED')!)).toEqual({
      type: 'SPEC_THING_HAPPENED',
      version: 2,
      category: 'Spec',
      description: 'Only in this spec.',
      retention: 'kit',
      retentionDays: RETENTION_DAYS.kit,
      producers: ['tickets'],
      payloadSchemaRef: 'payload.SpecThingHappened.v2',
      sensitiveFields: [],
    });
  });

  it('registers the same definition twice as a no-op but refuses a second definition of a type', () => {
    registerEventDefinitions([SPEC_THING_HAPPENED]);
    expect(() => registerEventDefinitions([{ ...SPEC_THING_HAPPENED }])).toThrow(/defined twice/);
  });

  it('refuses unknown payload fields when strict (publish) and tolerates them otherwise (receipt)', () => {
    const payload = { tenantId: '3f1f7a2e-4a38-4c1b-9a55-0c4b7b1d2e10', occurredAt: '2026-01-01T10:00:00Z', thing: 'x', extra: 1 };
    expect(validateEventPayload(SPEC_THING_HAPPENED, payload, true)).toEqual({ extra: ['extra is not an allowed field'] });
    expect(validateEventPayload(SPEC_THING_HAPPENED, payload, false)).toBeUndefined();
    expect(validateEventPayload(SPEC_THING_HAPPENED, 'nope', false)).toEqual({ payload: ['payload must be an object'] });
  });
});

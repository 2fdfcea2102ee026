import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findEventDefinition, payloadJsonSchema } from '@app/shared/catalog/event-catalog';

/**
 * The seed's event schema (booking-events-schema.md, kept in test/fixtures so the repository holds what it
 * is checked against) against the catalog and the code: every type it names is in the catalog with every
 * payload field it lists, and is emitted by a service's own code (an outbox append in apps/<app>/src, not
 * only a handler). The end-to-end tests that run each flow and take each type from the broker are named in
 * the README's domain section (activities-kits, lifecycle-locations, contract-lifecycle, tickets-visit, …).
 */
const ROOT = join(__dirname, '..');
const SEED = readFileSync(join(__dirname, 'fixtures', 'booking-events-schema.md'), 'utf8');

/**
 * Seed fields the catalog leaves out on purpose, and why; the test fails when one appears (then drop it here)
 * or another goes missing.
 */
const LEFT_OUT: Record<string, Record<string, string>> = {
  BOOKING_SUBMITTED: { recurrencePattern: 'recurrence is per promise (each service line has its RRULE), not one pattern per booking' },
  EVENT_STARTED: { staffPresent: 'who is there is told by STAFF_CHECKED_IN of the visit' },
  EVENT_COMPLETED: {
    staffParticipated: 'who worked is told by STAFF_CHECKED_IN/OUT of the visits',
    outcomes: 'outcomes are recorded per activity (ACTIVITY_COMPLETED.outcomes)',
  },
  STAFF_ASSIGNMENT_CREATED: { activityId: 'staff are assigned to a visit; an activity has its own assignment (ACTIVITY_ASSIGNED)' },
  STAFF_ASSIGNMENT_OFFERED: { compensation: 'pay is not part of this system' },
};

/** `#### \`TYPE\`` followed by a TypeScript interface: the type and the interface's top-level fields. */
function seedTypes(): Map<string, string[]> {
  const types = new Map<string, string[]>();
  const section = /^#### `([A-Z_]+)`\n[\s\S]*?```typescript\ninterface \w+ \{\n([\s\S]*?)\n\}\n```/gm;
  for (const [, type, body] of SEED.matchAll(section)) {
    types.set(
      type,
      [...body.matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1]),
    );
  }
  return types;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'migrations' ? [] : sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

const APP_SOURCES = ['events', 'tickets', 'jtd-dispatcher']
  .flatMap((app) => sourceFiles(join(ROOT, 'apps', app, 'src')))
  .map((path) => ({ path, text: readFileSync(path, 'utf8') }));

/** Files of the apps that name the type other than to handle it (`@HandlesEvent`): where it is emitted. */
function emitters(type: string): string[] {
  return APP_SOURCES.filter(({ text }) => text.split('\n').some((line) => line.includes(`'${type}'`) && !line.includes('HandlesEvent'))).map(({ path }) =>
    path.slice(ROOT.length + 1),
  );
}

describe("the seed's event schema (booking-events-schema.md)", () => {
  const types = seedTypes();

  it('names 35 event types, each with its payload fields', () => {
    expect(types.size).toBe(35);
    for (const [type, fields] of types) expect({ type, fields: fields.length > 0 }).toEqual({ type, fields: true });
  });

  it.each([...seedTypes()])('%s is in the catalog with every payload field of the seed', (type, fields) => {
    const def = findEventDefinition(type);
    expect(def?.type).toBe(type);
    const properties = Object.keys((payloadJsonSchema(def!).properties ?? {}) as Record<string, unknown>);
    expect(fields.filter((f) => !properties.includes(f))).toEqual(Object.keys(LEFT_OUT[type] ?? {}));
  });

  it.each([...seedTypes().keys()])('%s is emitted by a service’s own code', (type) => {
    expect(emitters(type)).not.toEqual([]);
  });
});

// Input validation, old path against new, in one process: validateDto (RPC inputs, gateway and service) and
// validateEventPayload (every outbox append, strict, and every receipt, tolerant) for representative classes.
// "before" is class-validator alone, as the two functions were before the compiled validators
// (libs/shared/src/validation/fast-validator.ts); "now" is the functions themselves. Variants interleave in
// rounds; the figure is the median of the rounds' µs per call. No database, no broker:
//   node bench/validation.bench.js            (ROUNDS=15, N=2000 calls per variant and round)
// The TypeScript sources are compiled on the fly with the project's swc settings (.swcrc), as jest does.
require('../scripts/lib/require-ts').installTypeScriptRequire();
require('reflect-metadata');

const { plainToInstance } = require('class-transformer');
const { validate, validateSync } = require('class-validator');
const { findEventDefinition, validateEventPayload } = require('../libs/shared/src/catalog/event-catalog.ts');
const { TransitionEventDto } = require('../libs/shared/src/api/events/contract-events.dto.ts');
const { fastAccepts } = require('../libs/shared/src/validation/fast-validator.ts');
const { unsafeInputErrors } = require('../libs/shared/src/validation/safe-input.ts');
const { validateDto, VALIDATION_OPTIONS, flattenValidationErrors } = require('../libs/shared/src/validation/validate-dto.ts');
const { withoutSealedFieldErrors } = require('../libs/shared/src/messaging/sensitive-fields.ts');

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const N = Number(process.env.N ?? 2000);
const TENANT = '11111111-1111-4111-8111-111111111111';
const at = '2026-03-01T09:30:00.000Z';

/** The functions as they were: class-validator alone. */
async function validateDtoBefore(cls, plain) {
  const unsafe = unsafeInputErrors(plain);
  if (unsafe) throw new Error('unsafe');
  const instance = plainToInstance(cls, plain ?? {}, { enableImplicitConversion: false });
  const errors = await validate(instance, VALIDATION_OPTIONS);
  if (errors.length > 0) throw new Error(JSON.stringify(flattenValidationErrors(errors)));
  return instance;
}
function validateEventPayloadBefore(def, payload, strict) {
  const instance = plainToInstance(def.payload, payload, { enableImplicitConversion: false });
  const errors = validateSync(instance, { whitelist: strict, forbidNonWhitelisted: strict, forbidUnknownValues: true });
  if (errors.length === 0) return undefined;
  const fields = withoutSealedFieldErrors(def, payload, flattenValidationErrors(errors));
  return Object.keys(fields).length > 0 ? fields : undefined;
}

const transition = {
  id: 'a3f1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b',
  toStatus: 'in_progress',
  reason: 'Technician on site',
  evidenceIds: ['b7c3a8e2-4f1d-4c9a-9e2b-1d2c3b4a5f60'],
  version: 3,
};
const created = {
  tenantId: TENANT,
  occurredAt: at,
  eventId: 'a3f1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b',
  contractId: 'c0ffee00-1234-4abc-8def-0123456789ab',
  taskId: 'TSK-2026-000123',
  eventType: 'service',
  title: 'Quarterly AC service',
  status: 'scheduled',
  scheduledDate: '2026-04-01',
  originalDate: '2026-04-01',
  sequenceNumber: 3,
  totalOccurrences: 12,
  promiseQty: null,
  isUnlimited: false,
  amount: null,
  currency: null,
  partId: null,
  source: 'activation',
};
const jtd = {
  tenantId: TENANT,
  occurredAt: at,
  requestId: 'event-a3f1c2d4:reminder:2026-04-01',
  eventType: 'reminder',
  sourceType: 'contract_event',
  sourceId: 'a3f1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b',
  channels: ['email', 'sms'],
  recipient: { type: 'customer', id: 'c0ffee00-1234-4abc-8def-0123456789ab', name: 'Asha Rao', email: 'asha@example.com', phone: '+919812345678' },
  templateKey: 'service_reminder',
  variables: { title: 'Quarterly AC service', date: '2026-04-01' },
  scheduledAt: '2026-03-31T09:00:00.000Z',
  priority: 5,
  isLive: true,
};
const createdDef = findEventDefinition('CONTRACT_EVENT_CREATED');
const jtdDef = findEventDefinition('JTD_REQUESTED');

const must = (ok, what) => {
  if (!ok) throw new Error(`${what}: the sample is not valid, the figures would measure the slow path`);
};
must(fastAccepts(TransitionEventDto, transition, true), 'TransitionEventDto');
must(fastAccepts(createdDef.payload, created, true), 'CONTRACT_EVENT_CREATED');
must(fastAccepts(jtdDef.payload, jtd, true), 'JTD_REQUESTED');

const variants = [
  ['validateDto TransitionEventDto', 'before', () => validateDtoBefore(TransitionEventDto, transition)],
  ['validateDto TransitionEventDto', 'now', () => validateDto(TransitionEventDto, transition)],
  ['  of which compiled check alone', 'now', () => fastAccepts(TransitionEventDto, transition, true)],
  ['  of which plainToInstance alone', 'now', () => plainToInstance(TransitionEventDto, transition, { enableImplicitConversion: false })],
  ['validateDto refused (no toStatus)', 'before', () => validateDtoBefore(TransitionEventDto, { ...transition, toStatus: undefined }).catch(() => 0)],
  ['validateDto refused (no toStatus)', 'now', () => validateDto(TransitionEventDto, { ...transition, toStatus: undefined }).catch(() => 0)],
];
for (const [name, def, payload] of [
  ['CONTRACT_EVENT_CREATED', createdDef, created],
  ['JTD_REQUESTED', jtdDef, jtd],
]) {
  for (const strict of [true, false]) {
    const label = `validateEventPayload ${name} ${strict ? 'strict' : 'tolerant'}`;
    variants.push([label, 'before', () => validateEventPayloadBefore(def, payload, strict)]);
    variants.push([label, 'now', () => validateEventPayload(def, payload, strict)]);
  }
}

// The checks that parse remember recent strings; these payloads never repeat a date or a time, so every
// parse is paid (an activation's events share occurredAt but not their scheduled dates).
const freshDates = Array.from({ length: 5000 }, (_, i) => new Date(Date.UTC(2026, 0, 1) + i * 86_400_000 + i * 1000).toISOString());
let fresh = 0;
const nextFresh = () => freshDates[fresh++ % freshDates.length];
variants.push([
  'validateEventPayload CONTRACT_EVENT_CREATED strict, no repeated date',
  'before',
  () =>
    validateEventPayloadBefore(createdDef, { ...created, occurredAt: nextFresh(), scheduledDate: nextFresh().slice(0, 10), originalDate: nextFresh() }, true),
]);
variants.push([
  'validateEventPayload CONTRACT_EVENT_CREATED strict, no repeated date',
  'now',
  () => validateEventPayload(createdDef, { ...created, occurredAt: nextFresh(), scheduledDate: nextFresh().slice(0, 10), originalDate: nextFresh() }, true),
]);

async function main() {
  const samples = variants.map(() => []);
  for (let round = 0; round < ROUNDS + 2; round++) {
    for (const [i, [, , f]] of variants.entries()) {
      const start = process.hrtime.bigint();
      for (let k = 0; k < N; k++) await f();
      // The first two rounds warm the JIT and the caches; they are not counted.
      if (round >= 2) samples[i].push(Number(process.hrtime.bigint() - start) / 1000 / N);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rows = variants.map(([name, which], i) => ({ name, which, us: median(samples[i]) }));
  console.log(`validation micro-benchmark: median of ${ROUNDS} rounds of ${N} calls, µs per call (node ${process.version})`);
  for (const { name, which, us } of rows) {
    const before = rows.find((r) => r.name === name && r.which === 'before');
    const speedup = which === 'now' && before ? `  ×${(before.us / us).toFixed(1)} faster` : '';
    console.log(`${name.padEnd(70)} ${which.padEnd(7)} ${us.toFixed(2).padStart(8)} µs${speedup}`);
  }
}
main().catch((err) => {
  console.error(err);
  process.exit(1);
});

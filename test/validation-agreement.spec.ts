import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { OPERATIONS } from '@app/shared/api/operations';
import { allEventDefinitions, validateEventPayload } from '@app/shared/catalog/event-catalog';
import { DomainError, toErrorPayload } from '@app/shared/errors/domain-error';
import { EventDefinition } from '@app/shared/messaging/event-definition';
import { withoutSealedFieldErrors } from '@app/shared/messaging/sensitive-fields';
import { JsonSchema } from '@app/shared/validation/class-rules-schema';
import { compileFastPath, fastPathOf } from '@app/shared/validation/fast-validator';
import { unsafeInputErrors } from '@app/shared/validation/safe-input';
import { flattenValidationErrors, validateDto, VALIDATION_OPTIONS } from '@app/shared/validation/validate-dto';
import { corpusFor } from './support/fuzz/validation-corpus';

/** Valid inputs per class and mutants of each; AGREEMENT_VALID / AGREEMENT_MUTANTS raise them for a longer hunt. */
const VALID = Number(process.env.AGREEMENT_VALID ?? 8);
const MUTANTS = Number(process.env.AGREEMENT_MUTANTS ?? 6);
/** AGREEMENT_SEED replays a corpus; a failure names the seed. */
const SEED = Number(process.env.AGREEMENT_SEED ?? 20260401);

const TOLERANT = { whitelist: false, forbidNonWhitelisted: false, forbidUnknownValues: true } as const;

/** class-validator's verdict, as validateDto and validateEventPayload asked for it before the fast path. */
function classValidatorAccepts(cls: Function, value: unknown, strict: boolean): boolean {
  try {
    const instance = plainToInstance(cls as new () => object, value ?? {}, { enableImplicitConversion: false });
    return validateSync(instance, strict ? VALIDATION_OPTIONS : TOLERANT).length === 0;
  } catch {
    // class-transformer throws on some inputs (`{"constructor": 1}` in a free-form object): not an acceptance.
    return false;
  }
}

interface Tally {
  classes: number;
  inputs: number;
  bothAccept: number;
  bothRefuse: number;
  /** class-validator accepts, the compiled validator refuses: allowed (the slow path answers), counted. */
  onlyClassValidator: number;
  /** The compiled validator accepts what class-validator refuses: never allowed. */
  unsound: string[];
  /** Fast-path classes none of whose inputs both accepted: the corpus did not reach their accepting side. */
  neverAccepted: string[];
}
const tally = (): Tally => ({ classes: 0, inputs: 0, bothAccept: 0, bothRefuse: 0, onlyClassValidator: 0, unsound: [], neverAccepted: [] });

/** Runs a class's corpus through both paths; a DTO's inputs first pass the house checks validateDto makes before. */
function agree(t: Tally, cls: Function, strict: boolean, dto: boolean, validate = fastPathOf(cls, strict)): unknown[] {
  if (!('validate' in validate)) return [];
  t.classes++;
  const seed = SEED + t.classes;
  const inputs = corpusFor(cls, seed, VALID, MUTANTS).filter(
    (v) => !dto || v === undefined || v === null || (typeof v === 'object' && !Array.isArray(v) && !unsafeInputErrors(v)),
  );
  let accepted = 0;
  for (const input of inputs) {
    const slow = classValidatorAccepts(cls, input, strict);
    const fast = validate.validate(dto ? (input ?? {}) : input) === true;
    t.inputs++;
    if (fast && !slow) t.unsound.push(`${cls.name} (${strict ? 'strict' : 'tolerant'}, seed ${seed}): ${show(input)}`);
    else if (fast) t.bothAccept++;
    else if (slow) t.onlyClassValidator++;
    else t.bothRefuse++;
    if (fast && slow) accepted++;
  }
  if (accepted === 0) t.neverAccepted.push(cls.name);
  return inputs;
}

function show(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x === undefined ? '[undefined]' : x)).slice(0, 600);
}

/** validateEventPayload as it was before the fast path: what every caller sees must not change. */
function payloadErrorsBefore(def: EventDefinition, payload: unknown, strict: boolean) {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return { payload: ['payload must be an object'] };
  const errors = validateSync(plainToInstance(def.payload, payload, { enableImplicitConversion: false }) as object, strict ? VALIDATION_OPTIONS : TOLERANT);
  if (errors.length === 0) return undefined;
  const fields = withoutSealedFieldErrors(def, payload, flattenValidationErrors(errors));
  return Object.keys(fields).length > 0 ? fields : undefined;
}

/** An answer or what was thrown, to compare the two paths by. */
function outcome(f: () => unknown): unknown {
  try {
    return { answer: f() };
  } catch (err) {
    return { thrown: String(err) };
  }
}

async function dtoAnswer(cls: new () => object, input: unknown): Promise<unknown> {
  try {
    return { ok: await validateDto(cls, input) };
  } catch (err) {
    return err instanceof DomainError ? { error: toErrorPayload(err) } : { thrown: String(err) };
  }
}

/** The same DTO answer through class-validator alone (validateDto before the fast path, after its house checks). */
async function dtoAnswerBefore(cls: new () => object, input: unknown): Promise<unknown> {
  try {
    const instance = plainToInstance(cls, input ?? {}, { enableImplicitConversion: false });
    const errors = validateSync(instance, VALIDATION_OPTIONS);
    return errors.length ? { error: toErrorPayload(DomainError.validation(flattenValidationErrors(errors))) } : { ok: instance };
  } catch (err) {
    return { thrown: String(err) };
  }
}

function summary(name: string, t: Tally): string {
  return `${name}: ${t.classes} classes, ${t.inputs} inputs — both accept ${t.bothAccept}, both refuse ${t.bothRefuse}, only class-validator accepts ${t.onlyClassValidator}, unsound ${t.unsound.length}`;
}

const inputClasses = [...new Set(OPERATIONS.map((op) => op.input))] as Array<new () => object>;
const payloadClasses = allEventDefinitions();

/**
 * The compiled validators (libs/shared/src/validation/fast-validator.ts) accept on class-validator's behalf.
 * For every operation input and every event payload, a corpus of valid inputs drawn from the document's
 * schema and their mutants (wrong types, missing and unknown fields, nulls, bounds, formats) goes through both:
 * nothing the compiled validator accepts may be refused by class-validator, and the answers callers see are
 * the ones class-validator alone gave.
 */
describe('compiled validators agree with class-validator', () => {
  const lines: string[] = [];
  afterAll(() => process.stdout.write(`\n${lines.join('\n')}\n`));

  it('gives a fast path to every operation input and event payload class whose rules it maps exactly', () => {
    const without = (classes: Function[], strict: boolean) =>
      classes.flatMap((c) => {
        const p = fastPathOf(c, strict);
        return 'reason' in p ? [`${c.name}: ${p.reason}`] : [];
      });
    const inputsWithout = without(inputClasses, true);
    const payloadsWithout = [
      ...without(
        payloadClasses.map((d) => d.payload),
        true,
      ),
      ...without(
        payloadClasses.map((d) => d.payload),
        false,
      ),
    ];
    lines.push(`fast path: ${inputClasses.length - inputsWithout.length}/${inputClasses.length} operation input classes (${OPERATIONS.length} operations)`);
    lines.push(`fast path: ${payloadClasses.length - payloadsWithout.length / 2}/${payloadClasses.length} event payload classes`);
    lines.push(...[...inputsWithout, ...payloadsWithout].map((l) => `  no fast path: ${l}`));
    // NoInput has no rules at all; validateDto answers it before any validator.
    expect(inputsWithout).toEqual(['NoInput: NoInput has no rules']);
    expect(payloadsWithout).toEqual([]);
  });

  it('never accepts an operation input that class-validator refuses, and answers as class-validator did', async () => {
    const t = tally();
    const answers: string[] = [];
    for (const cls of inputClasses) {
      for (const input of agree(t, cls, true, true)) {
        const [now, before] = [await dtoAnswer(cls, input), await dtoAnswerBefore(cls, input)];
        if (JSON.stringify(now) !== JSON.stringify(before)) answers.push(`${cls.name}: ${show(input)}`);
      }
    }
    lines.push(summary('operation inputs', t));
    expect(t.unsound).toEqual([]);
    expect(answers).toEqual([]);
    expect(t.bothRefuse + t.onlyClassValidator).toBeGreaterThan(t.inputs / 4);
    expect(t.neverAccepted).toEqual([]);
  });

  it.each([true, false])('never accepts an event payload that class-validator refuses (strict %s), and answers as before', (strict) => {
    const t = tally();
    const answers: string[] = [];
    for (const def of payloadClasses) {
      for (const input of agree(t, def.payload, strict, false)) {
        const [now, before] = [outcome(() => validateEventPayload(def, input, strict)), outcome(() => payloadErrorsBefore(def, input, strict))];
        if (JSON.stringify(now) !== JSON.stringify(before)) answers.push(`${def.type}: ${show(input)}`);
      }
    }
    lines.push(summary(`event payloads (${strict ? 'strict, on append' : 'tolerant, on receipt'})`, t));
    expect(t.unsound).toEqual([]);
    expect(answers).toEqual([]);
    expect(t.neverAccepted).toEqual([]);
  });

  it('catches a compiled validator that drops a rule (here every maxLength)', () => {
    const dropMaxLength = (s: unknown): void => {
      if (Array.isArray(s)) s.forEach(dropMaxLength);
      else if (s && typeof s === 'object') {
        delete (s as JsonSchema).maxLength;
        Object.values(s).forEach(dropMaxLength);
      }
    };
    const t = tally();
    const bounded = ['CreateTicketDto', 'TransitionEventDto', 'AddSubtaskDto'];
    for (const cls of inputClasses.filter((c) => bounded.includes(c.name))) agree(t, cls, true, true, compileFastPath(cls, true, dropMaxLength));
    expect(t.classes).toBeGreaterThan(0);
    expect(t.unsound.length).toBeGreaterThan(0);
  });
});

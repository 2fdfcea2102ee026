import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { defaultMetadataStorage } from '../validation/class-transformer-storage';

/** Validators after which a string cannot be longer than a column holds. */
const BOUNDED_STRING = new Set([
  'maxLength',
  'isLength',
  'isIn',
  'isUuid',
  'isEnum',
  'isCalendarDate',
  'isTimestamp',
  'isIso8601',
  'isTimeZone',
  'isEmail',
  'isBoolean',
]);

/**
 * The rules every input class keeps, so that no value reaches the database unchecked: numbers bounded
 * (an `integer` column takes up to 2^31-1, and 1e308 is an integer to JavaScript), strings bounded, lists
 * bounded, nested objects that are required declared so (`@ValidateNested()` alone lets a missing one
 * through). Answers one line per breach, `Class.property: what is missing`, over the class and every
 * class it nests.
 */
export function inputRuleBreaches(root: Function): string[] {
  const breaches: string[] = [];
  const seen = new Set<Function>();
  const pending = [root];
  while (pending.length > 0) {
    const cls = pending.pop()!;
    if (seen.has(cls)) continue;
    seen.add(cls);
    const byProperty = new Map<string, ValidationMetadata[]>();
    for (const m of getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false)) {
      byProperty.set(m.propertyName, [...(byProperty.get(m.propertyName) ?? []), m]);
    }
    for (const [property, metas] of byProperty) {
      const names = new Set(metas.map((m) => m.name ?? m.type));
      const has = (...n: string[]) => n.some((x) => names.has(x));
      const where = `${cls.name}.${property}`;
      const optional = metas.some((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION);
      if (has('isInt', 'isNumber') && !(has('max') && has('min')) && !has('isIn')) breaches.push(`${where}: a number needs @Min and @Max`);
      if (has('isString', 'matches') && ![...names].some((n) => BOUNDED_STRING.has(n)))
        breaches.push(`${where}: a string needs @MaxLength (or a bounded format)`);
      if (has('isArray') || metas.some((m) => m.each)) {
        if (!has('arrayMaxSize')) breaches.push(`${where}: a list needs @ArrayMaxSize`);
      }
      if (metas.some((m) => m.type === ValidationTypes.NESTED_VALIDATION)) {
        if (!optional && !has('isDefined', 'isObject', 'isArray', 'isNotEmptyObject', 'arrayNotEmpty', 'arrayMinSize')) {
          breaches.push(`${where}: a required nested object needs @IsDefined() (or @IsObject / @IsArray)`);
        }
        const nested = defaultMetadataStorage.findTypeMetadata(cls, property)?.typeFunction?.() as Function | undefined;
        if (nested) pending.push(nested);
        else breaches.push(`${where}: a nested object needs @Type(() => Class)`);
      }
    }
  }
  return breaches;
}

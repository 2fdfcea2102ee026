import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

type Storage = ReturnType<typeof getMetadataStorage>;
type Lookup = Storage['getTargetValidationMetadatas'];
type Grouped = Record<string, ValidationMetadata[]>;

const PATCHED = Symbol.for('cn.validation-metadata-cache');
let generation = 0;

/** Changes whenever a rule is added (once rememberValidationMetadata ran), so what is built from the rules can be rebuilt. */
export function validationMetadataGeneration(): number {
  return generation;
}

/**
 * Adapter over a class-validator internal. Relies on: `MetadataStorage` (from `getMetadataStorage()`)
 * answering every rule lookup through its methods `getTargetValidationMetadatas` and `groupByPropertyName`,
 * and every new rule arriving through `addValidationMetadata` (so replacing them on the instance sees
 * every call). Checked against the versions below; metadata-cache.spec.ts fails on any other.
 */
export const RELIES_ON = { package: 'class-validator', range: '0.14.4' } as const;

/**
 * class-validator finds a class's rules on every validate() by walking every class it has rules for (an
 * `instanceof` per DTO class in the process, several hundred in the gateway) and then regroups them by
 * property. Rules change only when a decorated class is defined or a schema registered, so both answers
 * are remembered per class and options, and forgotten whenever a rule is added. Neither class-validator
 * nor its callers modify the arrays and objects handed out, so sharing them between calls is safe.
 */
export function rememberValidationMetadata(storage: Storage = getMetadataStorage()): void {
  const s = storage as Storage & { [PATCHED]?: true };
  if (s[PATCHED]) return;
  s[PATCHED] = true;

  const lookup: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  const groupByPropertyName = storage.groupByPropertyName.bind(storage);
  const addValidationMetadata = storage.addValidationMetadata.bind(storage);
  let byTarget = new Map<Function, Map<string, ValidationMetadata[]>>();
  let grouped = new WeakMap<ValidationMetadata[], Grouped>();

  storage.addValidationMetadata = (metadata) => {
    generation++;
    byTarget = new Map();
    grouped = new WeakMap();
    addValidationMetadata(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema ?? ''}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0000') ?? ''}`;
    let forTarget = byTarget.get(target);
    if (!forTarget) byTarget.set(target, (forTarget = new Map()));
    let found = forTarget.get(key);
    if (!found) forTarget.set(key, (found = lookup(target, schema, always, strictGroups, groups)));
    return found;
  };
  storage.groupByPropertyName = (metadata) => {
    let found = grouped.get(metadata);
    if (!found) grouped.set(metadata, (found = groupByPropertyName(metadata)));
    return found;
  };
}

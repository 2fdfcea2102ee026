import { IsOptional } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';

/**
 * An input field that may be left out (unchanged) or sent as `null` (cleared), like a daily limit or quiet
 * hours. `@Nullable()` would make it required in the document; this keeps it optional and says `nullable`.
 */
export function OptionalNullable(description: string): PropertyDecorator {
  return (target, key) => {
    IsOptional()(target, key);
    JSONSchema({ description, nullable: true } as never)(target, key as string);
  };
}

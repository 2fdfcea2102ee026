import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { productionProblems } from './production-guard';

/** A configuration that cannot run: names every variable that is missing or malformed. */
export class ConfigError extends Error {
  constructor(readonly problems: Record<string, string[]>) {
    super(
      'invalid configuration: ' +
        Object.entries(problems)
          .map(([name, msgs]) => `${name} (${msgs.join('; ')})`)
          .join(', '),
    );
    this.name = 'ConfigError';
  }
}

/**
 * Reads the environment once into a typed, validated object. Config classes name their properties after
 * the environment variables (UPPER_SNAKE) so an error message names exactly what to set. In production it
 * also refuses what the class marks as development-only (`@RefusedInProduction`, `@ProductionSecret`).
 */
export function loadConfig<T extends object>(cls: new () => T, env: Record<string, string | undefined> = process.env): T {
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') raw[k] = v;
  const instance = plainToInstance(cls, raw, { enableImplicitConversion: true, exposeDefaultValues: true });
  const errors = validateSync(instance, { whitelist: true, forbidUnknownValues: false });
  const problems: Record<string, string[]> = {};
  for (const e of errors) problems[e.property] = collect(e);
  for (const [name, why] of Object.entries(productionProblems(instance))) problems[name] = [...(problems[name] ?? []), ...why];
  if (Object.keys(problems).length > 0) throw new ConfigError(problems);
  return instance;
}

function collect(e: ValidationError): string[] {
  return Object.values(e.constraints ?? { invalid: 'is invalid' });
}

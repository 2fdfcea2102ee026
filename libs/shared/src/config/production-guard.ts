import 'reflect-metadata';
import { amqpUrls } from '../messaging/amqp-urls';
import { developmentSecretProblem, DEV_BROKER_PASSWORD } from '../security/dev-defaults';

/** Why a value may not run in production, or undefined. `config` is the whole validated object. */
export type ProductionCheck = (value: unknown, config: Record<string, unknown>) => string | undefined;

const REFUSALS = Symbol('production-refusals');

/**
 * What an app refuses to run with in production, declared on its config class next to the variable, and
 * checked by `loadConfig` when NODE_ENV=production: the process then stops like for any other invalid
 * variable (non-zero exit, a fatal line naming it). Development and tests keep their defaults.
 */
export function RefusedInProduction(check: ProductionCheck): PropertyDecorator {
  return (target, key) => {
    // getMetadata walks the prototype chain: a subclass starts from its parent's list, the parent's stays as it was.
    const inherited: Array<[string, ProductionCheck]> = Reflect.getMetadata(REFUSALS, target) ?? [];
    Reflect.defineMetadata(REFUSALS, [...inherited, [String(key), check]], target);
  };
}

/** A secret: in production neither a development default of this repository nor a placeholder. Unset is the validators' business. */
export function ProductionSecret(): PropertyDecorator {
  return RefusedInProduction((value) => (typeof value === 'string' && value !== '' ? developmentSecretProblem(value) : undefined));
}

/** A broker URL (or any URL of a comma-separated cluster list) whose credentials are RabbitMQ's own `guest` account, or a development secret. */
export function brokerCredentialsProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const urls = amqpUrls(value);
  if (urls.length > 1) {
    for (const url of urls) {
      const problem = brokerCredentialsProblem(url);
      if (problem) return problem;
    }
    return undefined;
  }
  let password: string;
  try {
    password = decodeURIComponent(new URL(value).password);
  } catch {
    return undefined;
  }
  if (password === '' || password === DEV_BROKER_PASSWORD)
    return 'logs in with RabbitMQ’s default guest account: give the broker a user and password of its own';
  const problem = developmentSecretProblem(password);
  return problem && `its password ${problem}`;
}

/** The refusals that apply to `config`: none outside production. */
export function productionProblems(config: object): Record<string, string[]> {
  const values = config as Record<string, unknown>;
  if (values.NODE_ENV !== 'production') return {};
  const checks: Array<[string, ProductionCheck]> = Reflect.getMetadata(REFUSALS, config) ?? [];
  const problems: Record<string, string[]> = {};
  for (const [name, check] of checks) {
    const why = check(values[name], values);
    if (why) (problems[name] ??= []).push(why);
  }
  return problems;
}

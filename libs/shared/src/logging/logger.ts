import { LoggerService } from '@nestjs/common';
import pino, { DestinationStream, Logger } from 'pino';
import { currentContext } from '../context/request-context';

/**
 * JSON logs with the correlation id (and tenant) of the work in progress on every line, taken from the
 * async context so no call site has to pass it.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin() {
      const ctx = currentContext();
      return ctx ? { correlationId: ctx.correlationId, tenantId: ctx.tenantId } : {};
    },
    redact: {
      paths: ['*.authorization', '*.apiKey', '*["x-api-key"]', '*.authkey', '*.password', '*.secret', '*.privateKey', '*.private_key', '*.token'],
      censor: '[redacted]',
    },
  };
  // Synchronous stdout by default: a line written just before process.exit is not lost.
  return destination ? pino(options, destination) : pino(options);
}

/** Nest's logger interface on top of pino, so framework messages are JSON lines too. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.info({ context }, text(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    // Nest passes an Error's stack as `trace`, or just a context when there is no stack.
    if (context === undefined && trace !== undefined && !trace.includes('\n')) this.logger.error({ context: trace, err: errorOf(message) }, text(message));
    else this.logger.error({ context, trace, err: errorOf(message) }, text(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, text(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, text(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, text(message));
  }
  fatal(message: unknown, context?: string) {
    this.logger.fatal({ context }, text(message));
  }
}

function text(message: unknown): string {
  if (typeof message === 'string') return message;
  if (message instanceof Error) return message.message;
  try {
    return JSON.stringify(message);
  } catch {
    return String(message);
  }
}

function errorOf(message: unknown): { type: string; message: string; stack?: string } | undefined {
  return message instanceof Error ? { type: message.name, message: message.message, stack: message.stack } : undefined;
}

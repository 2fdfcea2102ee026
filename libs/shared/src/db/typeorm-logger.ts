import { Logger as NestLogger } from '@nestjs/common';
import { AbstractLogger, LogLevel, LogMessage } from 'typeorm';

/**
 * TypeORM's own messages (failed queries, migrations) through Nest's logger, so they are JSON lines with
 * the correlation id like everything else instead of console output.
 */
export class TypeOrmNestLogger extends AbstractLogger {
  private readonly logger = new NestLogger('TypeORM');

  protected override writeLog(level: LogLevel, message: LogMessage | string | number | (LogMessage | string | number)[]): void {
    for (const item of Array.isArray(message) ? message : [message]) {
      const m: LogMessage = typeof item === 'object' ? item : { message: String(item) };
      const text = typeof m.message === 'string' ? m.message : JSON.stringify(m.message);
      const line = m.parameters?.length ? `${text} -- parameters: ${JSON.stringify(m.parameters)}` : text;
      if (level === 'error' || m.type === 'query-error') this.logger.error(line);
      else if (level === 'warn' || m.type === 'query-slow') this.logger.warn(line);
      else this.logger.log(line);
    }
  }
}

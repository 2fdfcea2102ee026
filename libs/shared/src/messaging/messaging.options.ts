import { DataSource } from 'typeorm';
import { ServiceName } from '../rpc/rpc-request';

/** What MessagingModule.forService knows about the service it serves. */
export interface MessagingOptions {
  service: ServiceName;
}

export const MESSAGING_OPTIONS = Symbol('messaging-options');

/** The schema of the service's DataSource: where its outbox, inbox and dead letters live. */
export function schemaOf(dataSource: DataSource): string {
  return (dataSource.options as { schema?: string }).schema ?? 'public';
}

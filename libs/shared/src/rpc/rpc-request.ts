import { ErrorPayload } from '../errors/domain-error';
import { RequestContext } from '../context/request-context';

export const SERVICES = ['events', 'tickets', 'jtd-dispatcher'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** What the gateway sends: who asks, and the input (path params, query and body merged into one DTO). */
export interface RpcRequest<B = unknown> {
  ctx: RequestContext;
  body: B;
}

/** What a service answers. Errors are data, not exceptions, so nothing is lost in transport. */
export type RpcResponse<T = unknown> = { ok: true; data: T } | { ok: false; error: ErrorPayload };

/** The RPC queue a service consumes (replicas compete on it). */
export function rpcQueueName(namespace: string, service: ServiceName): string {
  return `${namespace}.rpc.${service}`;
}

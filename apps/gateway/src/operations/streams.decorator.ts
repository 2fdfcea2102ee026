import type { ServerResponse } from 'node:http';
import { Operation } from '@app/shared/contract/operation';
import { RequestContext } from '@app/shared/context/request-context';

export const STREAM_OPERATION_KEY = Symbol.for('cn.stream-operation');

/** What the router hands a stream once the request passed every check. */
export interface StreamConnection {
  /** Writes the head (200, `text/event-stream`, the security headers) and gives the raw response to write to. */
  start(): ServerResponse;
  /** The `Last-Event-ID` header, if any. */
  lastEventId?: string;
  /** When the caller's token expires (ms), if it says. */
  expiresAt?: number;
}

/** A stream's implementation: the validated input and the caller in; it may refuse (throw) until it calls `start()`. */
export type StreamMethod<I extends object> = (input: I, ctx: RequestContext, connection: StreamConnection) => void | Promise<void>;

/**
 * Marks a gateway provider's method as the implementation of a streaming operation (`http.stream`). The
 * router finds it like `@Handles` and calls it after authentication, roles, rate limit, input and tenant;
 * the method's type is checked against the operation's input.
 */
export function Streams<I extends object, O>(op: Operation<I, O>) {
  return <M extends StreamMethod<I>>(_target: object, _key: string | symbol, descriptor: TypedPropertyDescriptor<M>): void => {
    if (!op.http?.stream) throw new Error(`operation ${op.name} is not a stream`);
    Reflect.defineMetadata(STREAM_OPERATION_KEY, op, descriptor.value!);
  };
}

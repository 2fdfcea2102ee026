import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Operation } from '../contract/operation';
import { RequestContext, runWithContext } from '../context/request-context';
import { failSpan, inSpan, SpanKind, traceparentHeader } from '../observability/tracing';
import { DomainError, ErrorCode, toErrorPayload } from '../errors/domain-error';
import { validateDto } from '../validation/validate-dto';
import { RpcRequest, RpcResponse } from './rpc-request';

export const OPERATION_KEY = Symbol.for('cn.operation');

/** What an operation's handler looks like: its input and the caller in, its output out. */
export type OperationMethod<I extends object, O> = (input: I, ctx: RequestContext) => O | Promise<O>;

/**
 * Marks a method as the handler of an operation. The method's type is checked against the operation's
 * input and output. In a service it answers the operation's RPC pattern (the RpcServer finds it by this
 * mark and runs it through `answerRpc`); in the gateway it implements an operation the gateway answers itself.
 */
export function Handles<I extends object, O>(op: Operation<I, O>) {
  return <M extends OperationMethod<I, O>>(_target: object, _key: string | symbol, descriptor: TypedPropertyDescriptor<M>): void => {
    Reflect.defineMetadata(OPERATION_KEY, op, descriptor.value!);
  };
}

/** Whether the caller may run the operation: one of its roles, or a public operation. */
export function mayCall(op: Pick<Operation, 'roles'>, ctx: Pick<RequestContext, 'roles'>): boolean {
  return op.roles === 'public' || (Array.isArray(ctx.roles) && ctx.roles.some((r) => (op.roles as readonly string[]).includes(r)));
}

export function forbidden(op: Pick<Operation, 'roles'>): DomainError {
  const roles = op.roles === 'public' ? [] : op.roles;
  return new DomainError(ErrorCode.FORBIDDEN, `this action needs one of the roles: ${roles.join(', ')}`, { roles });
}

const logger = new Logger('Rpc');

/**
 * Runs one RPC request through its operation's handler: the input is validated against the operation's input
 * class (whitelist, forbid unknown, the house rule for strings), the caller's roles are checked again (a
 * service does not trust that the message came through the gateway), the handler runs in the caller's
 * context and trace, and any error becomes an error answer (unexpected ones as INTERNAL with an errorId that
 * points at the logged internals). Never rejects.
 */
export async function answerRpc<I extends object, O>(
  op: Operation<I, O>,
  handler: OperationMethod<I, O>,
  req: RpcRequest<unknown> | undefined,
): Promise<RpcResponse> {
  if (!req || typeof req !== 'object' || !req.ctx?.tenantId) {
    return { ok: false, error: { code: ErrorCode.VALIDATION_FAILED, message: 'an RPC request needs ctx.tenantId' } };
  }
  const ctx = req.ctx;
  const attributes = { 'rpc.system': 'rabbitmq', 'rpc.method': op.name };
  try {
    return await inSpan(`rpc ${op.name}`, { kind: SpanKind.SERVER, parent: traceparentHeader(ctx.traceparent), attributes }, (traceparent, span) => {
      ctx.traceparent = traceparent;
      return runWithContext(ctx, async (): Promise<RpcResponse> => {
        try {
          if (!mayCall(op, ctx)) throw forbidden(op);
          const input = await validateDto(op.input, req.body);
          const data = await handler(input, ctx);
          return { ok: true, data: data ?? null };
        } catch (err) {
          const error = rpcErrorOf(err);
          if (error.code === ErrorCode.INTERNAL) failSpan(span, err);
          else span.setAttribute('cn.error_code', error.code);
          return { ok: false, error };
        }
      });
    });
  } catch (err) {
    return { ok: false, error: rpcErrorOf(err) };
  }
}

function rpcErrorOf(err: unknown) {
  if (err instanceof DomainError) return toErrorPayload(err);
  const errorId = randomUUID();
  logger.error(`unexpected error ${errorId}: ${(err as Error)?.stack ?? String(err)}`);
  return { code: ErrorCode.INTERNAL, message: 'an unexpected error occurred', errorId };
}

import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor, UseInterceptors } from '@nestjs/common';
import { MessagePattern, RmqContext } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { from, lastValueFrom, Observable } from 'rxjs';
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
 * input and output. In a service it answers the operation's RPC pattern: the input is validated against the
 * operation's input class (whitelist, forbid unknown, the house rule for strings), the caller's roles are
 * checked again (a service does not trust that the message came through the gateway), the handler runs in
 * the caller's context, and any error becomes an error answer (unexpected ones as INTERNAL with an errorId
 * that points at the logged internals). In the gateway it implements an operation the gateway answers itself.
 */
export function Handles<I extends object, O>(op: Operation<I, O>) {
  return <M extends OperationMethod<I, O>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<M>): void => {
    const original = descriptor.value!;
    Reflect.defineMetadata(OPERATION_KEY, op, original);
    if (op.handler === 'gateway') return;
    const onMessage = async function (this: unknown, req: RpcRequest<I>) {
      return original.call(this, req.body, req.ctx);
    };
    Reflect.defineMetadata(OPERATION_KEY, op, onMessage);
    descriptor.value = onMessage as unknown as M;
    MessagePattern(op.pattern)(target, key, descriptor);
    UseInterceptors(RpcEnvelopeInterceptor)(target, key, descriptor);
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

@Injectable()
export class RpcEnvelopeInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Rpc');

  intercept(context: ExecutionContext, next: CallHandler): Observable<RpcResponse> {
    const req = context.switchToRpc().getData<RpcRequest>();
    const op = Reflect.getMetadata(OPERATION_KEY, context.getHandler()) as Operation;
    const run = async (): Promise<RpcResponse> => {
      if (!req || typeof req !== 'object' || !req.ctx?.tenantId) {
        return { ok: false, error: { code: ErrorCode.VALIDATION_FAILED, message: 'an RPC request needs ctx.tenantId' } };
      }
      const attributes = { 'rpc.system': 'rabbitmq', 'rpc.method': op.name };
      return inSpan(`rpc ${op.name}`, { kind: SpanKind.SERVER, parent: traceparentHeader(req.ctx.traceparent), attributes }, (traceparent, span) => {
        req.ctx.traceparent = traceparent;
        return runWithContext(req.ctx, async () => {
          try {
            if (!mayCall(op, req.ctx)) throw forbidden(op);
            req.body = await validateDto(op.input, req.body);
            const data = await lastValueFrom(next.handle(), { defaultValue: undefined });
            return { ok: true, data: data ?? null } as RpcResponse;
          } catch (err) {
            const error = rpcErrorOf(err, this.logger);
            if (error.code === ErrorCode.INTERNAL) failSpan(span, err);
            else span.setAttribute('cn.error_code', error.code);
            return { ok: false, error } as RpcResponse;
          }
        });
      });
    };
    // The RPC server consumes with manual acks (noAck: false, prefetch): without this ack every service
    // stopped taking RPCs after RPC_PREFETCH calls.
    const ack = () => {
      const rmq = context.switchToRpc().getContext<RmqContext>();
      if (typeof rmq?.getChannelRef === 'function') rmq.getChannelRef().ack(rmq.getMessage());
    };
    return from(
      run()
        .catch((err) => ({ ok: false, error: rpcErrorOf(err, this.logger) }) as RpcResponse)
        .finally(ack),
    );
  }
}

function rpcErrorOf(err: unknown, logger: Logger) {
  if (err instanceof DomainError) return toErrorPayload(err);
  const errorId = randomUUID();
  logger.error(`unexpected error ${errorId}: ${(err as Error)?.stack ?? String(err)}`);
  return { code: ErrorCode.INTERNAL, message: 'an unexpected error occurred', errorId };
}

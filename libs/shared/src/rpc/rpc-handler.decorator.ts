import { applyDecorators, CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor, UseInterceptors } from '@nestjs/common';
import { MessagePattern, RmqContext } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { from, lastValueFrom, Observable, of } from 'rxjs';
import { runWithContext } from '../context/request-context';
import { DomainError, ErrorCode, toErrorPayload } from '../errors/domain-error';
import { validateDto } from '../validation/validate-dto';
import { RpcRequest, RpcResponse } from './rpc-request';

const DTO_KEY = Symbol('rpc-dto');

/**
 * Marks a method as the handler of one RPC pattern. The input is validated against `dto` (whitelist,
 * forbid unknown), the handler runs inside the caller's context (correlation id in every log line), and
 * any error becomes an `RpcResponse` error payload: domain errors as they are, anything else as INTERNAL
 * with an `errorId` that points at the logged internals.
 *
 * The handler receives `(body, ctx)`.
 */
export function RpcHandler(pattern: string, dto?: new () => object): MethodDecorator {
  return applyDecorators(
    (target: object, key: string | symbol, descriptor: PropertyDescriptor) => {
      Reflect.defineMetadata(DTO_KEY, dto, descriptor.value);
      const original = descriptor.value;
      descriptor.value = async function (this: unknown, req: RpcRequest) {
        return original.call(this, req.body, req.ctx);
      };
      Reflect.defineMetadata(DTO_KEY, dto, descriptor.value);
      return descriptor;
    },
    MessagePattern(pattern),
    UseInterceptors(RpcEnvelopeInterceptor),
  );
}

@Injectable()
export class RpcEnvelopeInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Rpc');

  intercept(context: ExecutionContext, next: CallHandler): Observable<RpcResponse> {
    const req = context.switchToRpc().getData<RpcRequest>();
    const dto = Reflect.getMetadata(DTO_KEY, context.getHandler()) as (new () => object) | undefined;
    const run = async (): Promise<RpcResponse> => {
      if (!req || typeof req !== 'object' || !req.ctx?.tenantId) {
        return { ok: false, error: { code: ErrorCode.VALIDATION_FAILED, message: 'an RPC request needs ctx.tenantId' } };
      }
      return runWithContext(req.ctx, async () => {
        try {
          if (dto) req.body = await validateDto(dto, req.body);
          const data = await lastValueFrom(next.handle(), { defaultValue: undefined });
          return { ok: true, data: data ?? null } as RpcResponse;
        } catch (err) {
          return { ok: false, error: rpcErrorOf(err, this.logger) };
        }
      });
    };
    // The RPC server consumes with manual acks (noAck: false, prefetch): without this ack every service
    // stopped taking RPCs after RPC_PREFETCH calls.
    const ack = () => {
      const rmq = context.switchToRpc().getContext<RmqContext>();
      if (typeof rmq?.getChannelRef === 'function') rmq.getChannelRef().ack(rmq.getMessage());
    };
    return from(run().catch((err) => ({ ok: false, error: rpcErrorOf(err, this.logger) }) as RpcResponse).finally(ack)).pipe((o) => o ?? of());
  }
}

function rpcErrorOf(err: unknown, logger: Logger) {
  if (err instanceof DomainError) return toErrorPayload(err);
  const errorId = randomUUID();
  logger.error(`unexpected error ${errorId}: ${(err as Error)?.stack ?? String(err)}`);
  return { code: ErrorCode.INTERNAL, message: 'an unexpected error occurred', errorId };
}

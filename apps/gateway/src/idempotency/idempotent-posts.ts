import { INestApplication, NestInterceptor, RequestMethod } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { IdempotencyInterceptor } from './idempotency.interceptor';

/**
 * `Idempotency-Key` is honoured on every POST route. A global interceptor would also put Nest's interceptor
 * chain (rxjs observables and an AsyncResource per step) on every GET, where it was the largest share of the
 * gateway's work per request; so the interceptor is attached to each POST handler instead, found the way
 * Nest's router finds routes. Must run before the routes are registered (app.listen / app.init).
 *
 * The instance, not the class, goes into the metadata: Nest then uses it as it is, with its injected store.
 * An instance of an earlier app in the same process (tests) is replaced, never stacked.
 */
export function applyIdempotencyToPosts(app: INestApplication, interceptor: IdempotencyInterceptor): number {
  const scanner = new MetadataScanner();
  let applied = 0;
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const prototype = (wrapper.metatype as { prototype?: object } | undefined)?.prototype;
      if (!prototype) continue;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[name] as object;
        if (Reflect.getMetadata(METHOD_METADATA, handler) !== RequestMethod.POST) continue;
        const others = ((Reflect.getMetadata(INTERCEPTORS_METADATA, handler) ?? []) as NestInterceptor[]).filter((i) => !(i instanceof IdempotencyInterceptor));
        Reflect.defineMetadata(INTERCEPTORS_METADATA, [...others, interceptor], handler);
        applied++;
      }
    }
  }
  return applied;
}

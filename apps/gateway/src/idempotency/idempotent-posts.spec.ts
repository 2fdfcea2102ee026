import { Controller, Get, INestApplication, Post, Put } from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { applyIdempotencyToPosts } from './idempotent-posts';
import { IdempotencyInterceptor } from './idempotency.interceptor';

@Controller('things')
class ThingsController {
  @Get(':id')
  get() {
    return {};
  }
  @Post()
  create() {
    return {};
  }
  @Put(':id')
  replace() {
    return {};
  }
}

@Controller('other')
class OtherController {
  @Post('act')
  act() {
    return {};
  }
}

const interceptorsOf = (handler: unknown) => (Reflect.getMetadata(INTERCEPTORS_METADATA, handler as object) ?? []) as unknown[];
const fakeInterceptor = () => new IdempotencyInterceptor(undefined as never, undefined as never);

describe('applyIdempotencyToPosts', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ThingsController, OtherController] }).compile();
    app = moduleRef.createNestApplication(new FastifyAdapter());
  });
  afterAll(() => app.close());

  it('attaches the interceptor to every POST handler of every controller, and to nothing else', () => {
    const interceptor = fakeInterceptor();
    expect(applyIdempotencyToPosts(app, interceptor)).toBe(2);
    expect(interceptorsOf(ThingsController.prototype.create)).toEqual([interceptor]);
    expect(interceptorsOf(OtherController.prototype.act)).toEqual([interceptor]);
    expect(interceptorsOf(ThingsController.prototype.get)).toEqual([]);
    expect(interceptorsOf(ThingsController.prototype.replace)).toEqual([]);
  });

  it('replaces the instance of an earlier app instead of stacking a second one', () => {
    const second = fakeInterceptor();
    applyIdempotencyToPosts(app, second);
    expect(interceptorsOf(ThingsController.prototype.create)).toEqual([second]);
  });
});

import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';

/** The framework's own ceiling: NestJS on Fastify answering a constant, no auth, no RPC, no database. */
@Controller()
class HelloController {
  @Get('hello')
  hello() {
    return { id: '00000000-0000-4000-8000-000000000000', status: 'scheduled', ok: true };
  }

  @Get('health/ready')
  ready() {
    return { status: 'ok' };
  }
}

@Module({ controllers: [HelloController] })
class HelloModule {}

async function main() {
  const app = await NestFactory.create<NestFastifyApplication>(HelloModule, new FastifyAdapter(), { logger: false });
  await app.listen(Number(process.env.HTTP_PORT), '127.0.0.1');
  const stop = () => void app.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();

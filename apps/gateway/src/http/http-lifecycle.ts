import { Injectable, OnModuleDestroy } from '@nestjs/common';

/** Knows when the app has begun to stop (Nest runs destroy hooks before it closes the HTTP server). */
@Injectable()
export class HttpLifecycle implements OnModuleDestroy {
  stopping = false;

  onModuleDestroy() {
    this.stopping = true;
  }
}

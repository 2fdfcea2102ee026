import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { JtdDispatcherConfig } from '../jtd-dispatcher.config';

/** Who holds the leases this replica takes (JTD_WORKER_ID, else host, pid and a random suffix). */
@Injectable()
export class DispatcherIdentity {
  readonly workerId: string;

  constructor(config: JtdDispatcherConfig) {
    this.workerId = config.JTD_WORKER_ID ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }
}

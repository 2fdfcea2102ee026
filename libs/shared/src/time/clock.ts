import { Injectable } from '@nestjs/common';

/**
 * The time, behind an injectable so time-driven rules (due windows, overdue, quiet hours, reminders) are
 * testable: production binds SystemClock, tests bind a clock they move by hand (FixedClock). The one clock
 * of every service: `{ provide: Clock, useClass: SystemClock }` in the module, `Clock` injected where the
 * time matters.
 */
export abstract class Clock {
  abstract now(): Date;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that only moves when told to (`set`, `advance`); for tests, unit and integration alike. */
export class FixedClock extends Clock {
  constructor(private current: Date) {
    super();
  }

  now(): Date {
    return new Date(this.current.getTime());
  }

  set(at: Date | string): void {
    this.current = new Date(at);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

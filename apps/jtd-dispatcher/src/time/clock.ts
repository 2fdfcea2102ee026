import { Injectable } from '@nestjs/common';

/** Time as the dispatcher sees it; tests swap in a FakeClock so quiet hours, retries and limits are testable. */
@Injectable()
export class JtdClock {
  now(): Date {
    return new Date();
  }
}

export class FakeJtdClock extends JtdClock {
  constructor(private current: Date) {
    super();
  }

  override now(): Date {
    return new Date(this.current.getTime());
  }

  set(at: Date | string): void {
    this.current = new Date(at);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

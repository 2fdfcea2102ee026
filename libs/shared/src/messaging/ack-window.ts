/** What the consumer decided about a delivery: its outcome is durable (ack), or it stays unacknowledged on purpose. */
export interface Settleable {
  settled?: 'ack' | 'abandon';
}

/** An acknowledgement to send: `multiple` also acknowledges every earlier delivery of the channel. */
export interface Ack<T> {
  delivery: T;
  multiple: boolean;
}

/**
 * The deliveries of one channel not acknowledged yet, in delivery-tag order. Turns settled deliveries into as few
 * acks as AMQP allows: one `multiple` ack for the settled run at the head (one frame per batch instead of one per
 * message); single acks behind a delivery left unacknowledged on purpose, which a `multiple` ack would take along.
 * A settled run waits while an earlier delivery is still being handled.
 */
export class AckWindow<T extends Settleable> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  add(delivery: T): void {
    this.items.push(delivery);
  }

  /** Forgets deliveries that can no longer be acknowledged (their channel is gone: the broker redelivers them). */
  forget(gone: (delivery: T) => boolean): void {
    for (let i = this.items.length - 1; i >= 0; i--) if (gone(this.items[i])) this.items.splice(i, 1);
  }

  take(): Ack<T>[] {
    const q = this.items;
    const acks: Ack<T>[] = [];
    let run = 0;
    while (run < q.length && q[run].settled === 'ack') run++;
    if (run > 0) {
      acks.push({ delivery: q[run - 1], multiple: run > 1 });
      q.splice(0, run);
    }
    if (q.length === 0 || q[0].settled !== 'abandon') return acks;
    for (let i = 0; i < q.length; i++) {
      if (q[i].settled === 'ack') {
        acks.push({ delivery: q[i], multiple: false });
        q.splice(i--, 1);
      }
    }
    return acks;
  }
}

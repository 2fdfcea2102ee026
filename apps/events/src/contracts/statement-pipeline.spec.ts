import { StatementPipeline } from './statement-pipeline';

const deferred = () => {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

describe('StatementPipeline', () => {
  it('lets the next batch be built while one runs, and no more', async () => {
    const p = new StatementPipeline(2);
    const first = deferred();
    await p.add([() => first.promise]); // one in flight: returns at once
    const second = deferred();
    let added = false;
    const adding = p.add([() => second.promise]).then(() => (added = true));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(added).toBe(false); // waits for the first batch
    first.resolve();
    await adding;
    second.resolve();
    await p.drain();
  });

  it('waits for every batch in flight after a failure, then throws the first error', async () => {
    const p = new StatementPipeline(3);
    const a = deferred();
    const b = deferred();
    await p.add([() => a.promise]);
    await p.add([() => b.promise]);
    let settled = false;
    const adding = p.add([() => Promise.resolve()]).catch((e: unknown) => {
      settled = true;
      throw e;
    });
    a.reject(new Error('first'));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false); // b is still on the connection
    b.reject(new Error('aborted transaction'));
    await expect(adding).rejects.toThrow('first');
    await expect(p.drain()).rejects.toThrow('first');
  });

  it('builds a step only once the one before is on its way, and starts nothing after a failure', async () => {
    const p = new StatementPipeline(2);
    const order: string[] = [];
    await p
      .add([
        () => {
          order.push('events 1');
          return Promise.reject(new Error('constraint'));
        },
        () => {
          order.push('announcements 1');
          return Promise.resolve();
        },
      ])
      .catch((e: Error) => order.push(e.message));
    expect(order).toEqual(['events 1', 'constraint']);
  });
});

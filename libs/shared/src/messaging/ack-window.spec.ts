import { AckWindow, Settleable } from './ack-window';

interface D extends Settleable {
  tag: number;
}

const deliveries = (n: number): D[] => Array.from({ length: n }, (_, i) => ({ tag: i + 1 }));
const tags = (acks: { delivery: D; multiple: boolean }[]) => acks.map((a) => `${a.delivery.tag}${a.multiple ? '+' : ''}`);

describe('AckWindow', () => {
  it('acknowledges a settled run at the head with one multiple ack', () => {
    const w = new AckWindow<D>();
    const d = deliveries(4);
    d.forEach((x) => w.add(x));
    d[0].settled = d[1].settled = d[2].settled = 'ack';
    expect(tags(w.take())).toEqual(['3+']);
    expect(w.size).toBe(1);
    expect(w.take()).toEqual([]);
    d[3].settled = 'ack';
    expect(tags(w.take())).toEqual(['4']);
    expect(w.size).toBe(0);
  });

  it('holds a settled batch back while an earlier delivery is still being handled', () => {
    const w = new AckWindow<D>();
    const d = deliveries(4);
    d.forEach((x) => w.add(x));
    d[2].settled = d[3].settled = 'ack';
    expect(w.take()).toEqual([]);
    d[0].settled = d[1].settled = 'ack';
    expect(tags(w.take())).toEqual(['4+']);
  });

  it('never lets a multiple ack take along a delivery left unacknowledged on purpose', () => {
    const w = new AckWindow<D>();
    const d = deliveries(5);
    d.forEach((x) => w.add(x));
    d[0].settled = 'ack';
    d[1].settled = 'abandon';
    d[2].settled = d[4].settled = 'ack';
    expect(tags(w.take())).toEqual(['1', '3', '5']);
    d[3].settled = 'ack';
    expect(tags(w.take())).toEqual(['4']);
    expect(w.size).toBe(1); // the abandoned one stays until its channel goes
    w.forget((x) => x.tag === 2);
    expect(w.size).toBe(0);
  });
});

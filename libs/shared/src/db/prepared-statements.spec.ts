import { MAX_PREPARED_PER_CONNECTION, StatementNames } from './prepared-statements';

describe('StatementNames (which texts a connection prepares)', () => {
  it('names a text on its second use and keeps that name', () => {
    const names = new StatementNames();
    expect(names.nameFor('SELECT $1::int')).toBeUndefined();
    const name = names.nameFor('SELECT $1::int');
    expect(name).toMatch(/^cn_[0-9a-f]{24}$/);
    expect(names.nameFor('SELECT $1::int')).toBe(name);
    expect(names.nameFor('SELECT $1::text')).toBeUndefined();
  });

  it('holds at most MAX_PREPARED_PER_CONNECTION names; later texts run unnamed, named ones keep theirs', () => {
    const names = new StatementNames();
    const text = (i: number) => `SELECT $1::int + ${i}`;
    for (let i = 0; i < MAX_PREPARED_PER_CONNECTION + 10; i++) [1, 2].forEach(() => names.nameFor(text(i)));
    expect(names.size).toBe(MAX_PREPARED_PER_CONNECTION);
    expect(names.nameFor(text(MAX_PREPARED_PER_CONNECTION + 5))).toBeUndefined();
    expect(names.nameFor(text(0))).toMatch(/^cn_/);
  });

  it('forgets one-off texts beyond its candidate list, so they never take a slot', () => {
    const names = new StatementNames();
    for (let i = 0; i < 1000; i++) names.nameFor(`SELECT $1::int IN (${i})`);
    // The first text was pushed out of the candidates: its second use is a first sighting again.
    expect(names.nameFor('SELECT $1::int IN (0)')).toBeUndefined();
    expect(names.size).toBe(0);
  });
});

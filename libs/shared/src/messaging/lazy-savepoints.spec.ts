import { readFileSync } from 'node:fs';
import type { QueryRunner } from 'typeorm';
import { inRange, installedVersion } from '../testing/installed-version';
import { lazySavepoints, RELIES_ON } from './lazy-savepoints';

describe('lazy savepoints adapter', () => {
  it(`was checked against the installed ${RELIES_ON.package} (${RELIES_ON.range}; after an upgrade, check what the adapter relies on and widen the range)`, () => {
    expect(inRange(installedVersion(RELIES_ON.package), RELIES_ON.range)).toBe(true);
  });

  it('finds EntityManager.query going through the query runner in the installed sources', () => {
    const manager = readFileSync(require.resolve('typeorm/entity-manager/EntityManager.js'), 'utf8');
    expect(manager).toMatch(/async query\(query, parameters\) \{\s*return this\.dataSource\.query\(query, parameters, this\.queryRunner\);/);
    const dataSource = readFileSync(require.resolve('typeorm/data-source/DataSource.js'), 'utf8');
    expect(dataSource).toMatch(/return await usedQueryRunner\.query\(query, parameters/);
  });

  it('takes a savepoint before the first statement of a message only, releasing the previous one with it', async () => {
    const sent: string[] = [];
    const runner = { query: async (sql: string) => void sent.push(sql) } as unknown as QueryRunner;
    const savepoints = lazySavepoints(runner);
    savepoints.next();
    savepoints.done();
    await runner.query('SELECT 0');
    savepoints.next();
    await runner.query('SELECT 1');
    await runner.query('SELECT 2');
    savepoints.done();
    savepoints.next();
    await runner.query('SELECT 3');
    expect(sent).toEqual(['SELECT 0', 'SAVEPOINT cn_event', 'SELECT 1', 'SELECT 2', 'RELEASE SAVEPOINT cn_event; SAVEPOINT cn_event', 'SELECT 3']);
    expect(savepoints).toMatchObject({ taken: true, held: true, failure: undefined });
  });
});

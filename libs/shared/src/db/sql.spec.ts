import { selectList, sql } from './sql';

describe('sql', () => {
  it('numbers every value as a parameter, never as text', () => {
    const name = "Robert'); DROP TABLE contracts; --";
    expect(sql`SELECT id FROM contracts WHERE tenant_id = ${'t1'} AND title = ${name}`.compile()).toEqual({
      text: 'SELECT id FROM contracts WHERE tenant_id = $1 AND title = $2',
      values: ['t1', name],
    });
  });

  it('embeds fragments with their parameters renumbered, so statements compose', () => {
    const history = sql`INSERT INTO status_history (event_id, to_status) VALUES (${'e1'}, ${'done'})`;
    const q = sql`WITH history AS (${history}) UPDATE contract_events SET status = ${'done'} WHERE tenant_id = ${'t1'} AND id = ${'e1'} RETURNING version`;
    expect(q.compile()).toEqual({
      text: 'WITH history AS (INSERT INTO status_history (event_id, to_status) VALUES ($1, $2)) UPDATE contract_events SET status = $3 WHERE tenant_id = $4 AND id = $5 RETURNING version',
      values: ['e1', 'done', 'done', 't1', 'e1'],
    });
    expect(history.used).toBe(true);
  });

  it('writes typed arrays, JSON, raw code, joins and optional parts', () => {
    const q = sql`SELECT ${sql.raw('id, title')} FROM t WHERE id = ANY(${sql.array(['a', 'b'], 'uuid')}) AND data = ${sql.json([1, { a: 2 }])}${sql.empty} AND (${sql.join([sql`x = ${1}`, sql`y = ${undefined}`], ' OR ')})`;
    expect(q.compile()).toEqual({
      text: 'SELECT id, title FROM t WHERE id = ANY($1::uuid[]) AND data = $2::jsonb AND (x = $3 OR y = $4)',
      values: [['a', 'b'], '[1,{"a":2}]', 1, null],
    });
    expect(sql.join([]).compile().text).toBe('');
  });

  it('aliases snake_case columns to the camelCase fields of a row type', () => {
    expect(selectList('e', ['id', 'tenantId', 'amount'], { amount: 'e.amount::text' }).compile().text).toBe(
      'e.id, e.tenant_id AS "tenantId", e.amount::text AS "amount"',
    );
    expect(selectList(null, ['statusChangedAt']).compile().text).toBe('status_changed_at AS "statusChangedAt"');
  });
});

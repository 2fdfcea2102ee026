import type { Db } from '../db/sql';

/** A node of EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)'s plan; the buffer counts include the node's children. */
export interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Shared Hit Blocks': number;
  'Shared Read Blocks': number;
  Plans?: PlanNode[];
}

export interface ExplainedStatement {
  text: string;
  plan: PlanNode;
}

/**
 * `tx` (a transaction's manager) with every statement run under EXPLAIN (ANALYZE, BUFFERS): ANALYZE still
 * executes each one, so settings and locks take effect as usual, but callers get no rows back. For tests of
 * what a repository's statement reads, run through the repository itself.
 */
export function explaining(tx: Db, statements: ExplainedStatement[]): Db {
  const runner = tx.queryRunner!;
  const query = async (text: string, values?: unknown[], structured?: boolean) => {
    const result = await runner.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`, values, true);
    statements.push({ text, plan: (result.records as Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>)[0]['QUERY PLAN'][0].Plan });
    return structured ? { records: [], affected: 0 } : [];
  };
  return {
    connection: tx.connection,
    queryRunner: { isReleased: false, query },
    query: (text: string, values?: unknown[]) => query(text, values),
  } as unknown as Db;
}

/** Pages a statement touched, from shared buffers or beyond them. */
export function pagesRead(plan: PlanNode): number {
  return plan['Shared Hit Blocks'] + plan['Shared Read Blocks'];
}

/** Every node of the plan, depth first: "Index Scan on outbox_unpublished_idx", "Bitmap Heap Scan", … */
export function planNodes(plan: PlanNode): string[] {
  const here = `${plan['Node Type']}${plan['Index Name'] ? ` on ${plan['Index Name']}` : ''}`;
  return [here, ...(plan.Plans ?? []).flatMap(planNodes)];
}

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CockpitQuery } from '@app/shared/api/events/contract-events.dto';
import type { CockpitBucketsView, CockpitEventView, CockpitTypesView, CockpitTypeView, CockpitView } from '@app/shared/api/events/contract-events.views';
import { CONTRACT_EVENT_TYPES } from '@app/shared/catalog/events-service.catalog';
import { RequestContext } from '@app/shared/context/request-context';
import { Clock } from '@app/shared/time/clock';
import { EventFlowService } from '../status-config/event-flow.service';

const LIST_SIZE = 10;

interface ListedRow {
  list: 'overdue' | 'nextUp';
  id: string;
  task_id: string;
  contract_id: string;
  event_type: string;
  title: string;
  status: string;
  scheduled_date: Date;
  amount: string | null;
  currency: string | null;
}

/**
 * The operations cockpit: per event type, counts per status bucket (the tenant's flow says which bucket a
 * status belongs to) plus the most overdue and the next events. Two queries whatever the data size: one
 * GROUP BY (index-only on (tenant_id, event_type, status, scheduled_date)) and one UNION ALL of six
 * LIMITed index range scans.
 */
@Injectable()
export class GetCockpitUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly flows: EventFlowService,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: CockpitQuery): Promise<CockpitView> {
    const m = this.dataSource.manager;
    const now = this.clock.now();
    const flows = await this.flows.loadAll(m, ctx.tenantId);
    const from = input.from ? new Date(input.from).toISOString() : null;
    const to = input.to ? new Date(input.to).toISOString() : null;
    const params: unknown[] = [ctx.tenantId, from, to, now.toISOString()];
    const parts: string[] = [];
    for (const type of CONTRACT_EVENT_TYPES) {
      const flow = flows[type];
      params.push(type, flow.codesIn('overdue'), [...flow.codesIn('upcoming'), ...flow.codesIn('due')]);
      const [t, overdue, upcoming] = [params.length - 2, params.length - 1, params.length];
      const cols = `id, task_id, contract_id, event_type, title, status, scheduled_date, amount::text AS amount, currency`;
      const range = `($2::timestamptz IS NULL OR scheduled_date >= $2) AND ($3::timestamptz IS NULL OR scheduled_date <= $3)`;
      parts.push(
        `(SELECT 'overdue' AS list, ${cols} FROM contract_events WHERE tenant_id = $1 AND event_type = $${t} AND status = ANY($${overdue}::text[]) AND ${range} ORDER BY scheduled_date, id LIMIT ${LIST_SIZE})`,
        `(SELECT 'nextUp' AS list, ${cols} FROM contract_events WHERE tenant_id = $1 AND event_type = $${t} AND status = ANY($${upcoming}::text[]) AND scheduled_date >= $4 AND ${range} ORDER BY scheduled_date, id LIMIT ${LIST_SIZE})`,
      );
    }
    // Not in a transaction: the two queries run on two pooled connections at once.
    const [counts, lists]: [Array<{ event_type: string; status: string; n: number }>, ListedRow[]] = await Promise.all([
      m.query(
        `SELECT event_type, status, count(*)::int AS n FROM contract_events
         WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR scheduled_date >= $2) AND ($3::timestamptz IS NULL OR scheduled_date <= $3)
         GROUP BY event_type, status`,
        [ctx.tenantId, from, to],
      ),
      m.query(parts.join(' UNION ALL '), params),
    ]);
    const types = {} as CockpitTypesView;
    for (const type of CONTRACT_EVENT_TYPES) {
      const flow = flows[type];
      const buckets: CockpitBucketsView = { upcoming: 0, due: 0, overdue: 0, in_progress: 0, done: 0, cancelled: 0 };
      const byStatus: Record<string, number> = {};
      let total = 0;
      for (const c of counts.filter((x) => x.event_type === type)) {
        byStatus[c.status] = c.n;
        total += c.n;
        const bucket = flow.bucketOf(c.status);
        if (bucket && bucket in buckets) buckets[bucket as keyof CockpitBucketsView] += c.n;
      }
      const item = (r: ListedRow): CockpitEventView => ({
        id: r.id,
        taskId: r.task_id,
        contractId: r.contract_id,
        title: r.title,
        status: r.status,
        scheduledDate: new Date(r.scheduled_date).toISOString(),
        amount: r.amount,
        currency: r.currency,
      });
      const view: CockpitTypeView = {
        total,
        buckets,
        byStatus,
        overdue: lists.filter((r) => r.event_type === type && r.list === 'overdue').map(item),
        nextUp: lists.filter((r) => r.event_type === type && r.list === 'nextUp').map(item),
      };
      types[type] = view;
    }
    return { generatedAt: now.toISOString(), from, to, types };
  }
}

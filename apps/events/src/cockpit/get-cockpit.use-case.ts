import { Injectable } from '@nestjs/common';
import { CockpitQuery } from '@app/shared/api/events/contract-events.dto';
import type {
  CockpitAppointmentView,
  CockpitBucketsView,
  CockpitEventView,
  CockpitTypesView,
  CockpitTypeView,
  CockpitView,
} from '@app/shared/api/events/contract-events.views';
import { CONTRACT_EVENT_TYPES } from '@app/shared/catalog/events-service.catalog';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { Clock } from '@app/shared/time/clock';
import { EventFlowService } from '../status-config/event-flow.service';
import { AppointmentViewRepository, AppointmentViewRow } from '../appointment-sync/appointment-view.repository';
import { CockpitListedRow, CockpitRepository } from './cockpit.repository';

/** How many upcoming visits the cockpit lists. */
const NEXT_VISITS = 10;

/**
 * The operations cockpit: per event type, counts per status bucket (the tenant's flow says which bucket a
 * status belongs to) plus the most overdue and the next events (two queries whatever the data size,
 * CockpitRepository), and the next visits from the appointment read model; run at once on pooled connections.
 */
@Injectable()
export class GetCockpitUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly cockpit: CockpitRepository,
    private readonly flows: EventFlowService,
    private readonly visits: AppointmentViewRepository,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: CockpitQuery): Promise<CockpitView> {
    const db = this.db.reader;
    const now = this.clock.now();
    const flows = await this.flows.loadAll(db, ctx.tenantId);
    const from = input.from ? new Date(input.from).toISOString() : null;
    const to = input.to ? new Date(input.to).toISOString() : null;
    const range = { from: from ? new Date(from) : null, to: to ? new Date(to) : null };
    const codes = CONTRACT_EVENT_TYPES.map((type) => ({
      eventType: type,
      overdue: flows[type].codesIn('overdue'),
      upcoming: [...flows[type].codesIn('upcoming'), ...flows[type].codesIn('due')],
    }));
    // Not in a transaction: the queries run on pooled connections at once.
    const [counts, lists, visits] = await Promise.all([
      this.cockpit.statusCounts(db, ctx.tenantId, range),
      this.cockpit.lists(db, ctx.tenantId, range, now, codes),
      this.visits.upcoming(db, ctx.tenantId, now, NEXT_VISITS),
    ]);
    const types = {} as CockpitTypesView;
    for (const type of CONTRACT_EVENT_TYPES) {
      const flow = flows[type];
      const buckets: CockpitBucketsView = { upcoming: 0, due: 0, overdue: 0, in_progress: 0, done: 0, cancelled: 0 };
      const byStatus: Record<string, number> = {};
      let total = 0;
      for (const c of counts.filter((x) => x.eventType === type)) {
        byStatus[c.status] = c.n;
        total += c.n;
        const bucket = flow.bucketOf(c.status);
        if (bucket && bucket in buckets) buckets[bucket as keyof CockpitBucketsView] += c.n;
      }
      const item = (r: CockpitListedRow): CockpitEventView => ({
        id: r.id,
        taskId: r.taskId,
        contractId: r.contractId,
        title: r.title,
        status: r.status,
        scheduledDate: r.scheduledDate.toISOString(),
        amount: r.amount,
        currency: r.currency,
      });
      const view: CockpitTypeView = {
        total,
        buckets,
        byStatus,
        overdue: lists.filter((r) => r.eventType === type && r.list === 'overdue').map(item),
        nextUp: lists.filter((r) => r.eventType === type && r.list === 'nextUp').map(item),
      };
      types[type] = view;
    }
    return { generatedAt: now.toISOString(), from, to, types, appointments: visits.map(visitView) };
  }
}

function visitView(v: AppointmentViewRow): CockpitAppointmentView {
  const hasLocation = v.address !== null || v.lat !== null;
  return {
    id: v.id,
    contractId: v.contractId,
    ticketId: v.ticketId,
    eventIds: v.eventIds,
    startsAt: v.startsAt.toISOString(),
    endsAt: v.endsAt.toISOString(),
    timezone: v.timezone,
    status: v.status,
    location: hasLocation ? { address: v.address, lat: v.lat, lng: v.lng, confirmedAt: v.locationConfirmedAt?.toISOString() ?? null } : null,
    assigneeIds: v.assigneeIds,
  };
}

import type { ContractView } from '@app/shared/api/events/contracts.views';
import { ContractRow } from './contract.repository';

/** The API shape of a contract (GET /contracts/{id} and cancel add to it). */
export function contractView(c: ContractRow): ContractView {
  return {
    id: c.id,
    contractNumber: c.contractNumber,
    title: c.title,
    customer: c.customer,
    startDate: c.startDate,
    endDate: c.endDate,
    timezone: c.timezone,
    accountManagerId: c.accountManagerId,
    services: c.services,
    spareParts: c.spareParts,
    billing: c.billing,
    status: c.status,
    review: c.review,
    needsReapproval: c.needsReapproval,
    totalEvents: c.totalEvents,
    activatedAt: c.activatedAt ? new Date(c.activatedAt).toISOString() : null,
    closedAt: c.closedAt ? new Date(c.closedAt).toISOString() : null,
    cancelReason: c.cancelReason,
    renewedFromId: c.renewedFromId,
    renewedById: c.renewedById,
    version: c.version,
    createdAt: new Date(c.createdAt).toISOString(),
    updatedAt: new Date(c.updatedAt).toISOString(),
  };
}

/** Response shapes of the tickets routes, for the OpenAPI document (the service builds them in its *.view.ts). */

const str = { type: 'string' };
const nstr = { type: 'string', nullable: true };
const uuid = { type: 'string', format: 'uuid' };
const nuuid = { type: 'string', format: 'uuid', nullable: true };
const time = { type: 'string', format: 'date-time' };
const ntime = { type: 'string', format: 'date-time', nullable: true };
const int = { type: 'integer' };
const who = { type: 'object', properties: { id: uuid, name: str } };
const obj = (properties: Record<string, unknown>, required: string[] = Object.keys(properties)) => ({ type: 'object', properties, required });
export const pageOf = (item: Record<string, unknown>) => obj({ items: { type: 'array', items: item }, nextCursor: nstr });

export const EVIDENCE_VIEW = obj({
  id: uuid,
  ticketId: uuid,
  eventId: nuuid,
  type: { type: 'string', enum: ['photo', 'document', 'signature', 'form_data', 'note', 'otp'] },
  status: { type: 'string', enum: ['pending', 'uploaded', 'verified', 'rejected'] },
  label: nstr,
  description: nstr,
  file: { ...obj({ fileName: str, size: int, contentType: str, sha256: str }), nullable: true },
  formData: { type: 'object', nullable: true, additionalProperties: true },
  note: nstr,
  otp: { ...obj({ channel: str, sentTo: { ...str, description: 'masked phone' }, expiresAt: ntime, attempts: int, locked: { type: 'boolean' }, verifiedAt: ntime }), nullable: true },
  rejectionReason: nstr,
  uploadedBy: who,
  reviewedBy: { ...who, nullable: true },
  reviewedAt: ntime,
  version: int,
  createdAt: time,
  updatedAt: time,
});

const TICKET_FIELDS = {
  id: uuid,
  ticketNumber: { type: 'string', example: 'TKT-2026-00001' },
  contractId: uuid,
  status: str,
  eventIds: { type: 'array', items: uuid },
  assignees: { type: 'array', items: obj({ userId: uuid, name: str, role: str }, ['userId', 'role']) },
  scheduledFor: ntime,
  startedAt: ntime,
  completedAt: ntime,
  cancelledAt: ntime,
  notes: nstr,
  createdBy: who,
  version: int,
  createdAt: time,
  updatedAt: time,
};
export const TICKET_VIEW = obj(TICKET_FIELDS);
export const TICKET_DETAIL_VIEW = obj({
  ...TICKET_FIELDS,
  events: { type: 'array', items: obj({ id: uuid, taskId: nstr, type: str, title: nstr, status: str, scheduledDate: ntime }) },
  evidence: { type: 'array', items: EVIDENCE_VIEW },
  history: { type: 'array', items: obj({ from: nstr, to: str, reason: nstr, actor: obj({ type: str, id: uuid, name: str }), at: time, secondsInPrevious: { type: 'integer', nullable: true } }) },
});

const GEO = { ...obj({ latitude: { type: 'number' }, longitude: { type: 'number' }, accuracy: { type: 'number' } }), nullable: true };
export const ASSIGNMENT_VIEW = obj({
  id: uuid,
  userId: uuid,
  name: nstr,
  role: str,
  status: { type: 'string', enum: ['offered', 'accepted', 'declined', 'expired', 'dispatched', 'en_route', 'checked_in', 'checked_out', 'no_show', 'withdrawn'] },
  offeredAt: time,
  offeredBy: uuid,
  responseDeadline: time,
  respondedAt: ntime,
  declineReason: nstr,
  availableForFuture: { type: 'boolean', nullable: true },
  dispatchedAt: ntime,
  enRouteAt: ntime,
  eta: ntime,
  checkedInAt: ntime,
  checkInLocation: GEO,
  verificationMethod: nstr,
  checkedOutAt: ntime,
  checkOutLocation: GEO,
  hoursWorked: { type: 'number', nullable: true },
  noShowAt: ntime,
  consequenceLevel: nstr,
  version: int,
});

export const APPOINTMENT_VIEW = obj(
  {
    id: uuid,
    contractId: uuid,
    ticketId: nuuid,
    eventIds: { type: 'array', items: uuid },
    startsAt: time,
    endsAt: time,
    timezone: str,
    location: { ...obj({ address: str, lat: { type: 'number' }, lng: { type: 'number' } }, []), nullable: true },
    status: str,
    notes: nstr,
    assignments: { type: 'array', items: ASSIGNMENT_VIEW },
    reschedules: { type: 'array', items: obj({ previousStartsAt: time, previousEndsAt: time, newStartsAt: time, newEndsAt: time, reason: str, actor: obj({ type: str, id: uuid, name: str }), at: time }) },
    version: int,
    createdAt: time,
    updatedAt: time,
  },
  ['id', 'contractId', 'eventIds', 'startsAt', 'endsAt', 'timezone', 'status', 'assignments', 'version'],
);

export const ISSUE_VIEW = obj({
  id: uuid,
  contractId: uuid,
  ticketId: nuuid,
  appointmentId: nuuid,
  eventId: nuuid,
  type: { type: 'string', enum: ['venue', 'staff', 'kit', 'logistics', 'client', 'other'] },
  severity: { type: 'string', enum: ['low', 'medium', 'high', 'critical'] },
  description: str,
  immediateAction: nstr,
  reportedBy: who,
  reportedAt: time,
});

export const STATUS_FLOW_VIEW = obj({
  machine: { type: 'string', enum: ['ticket', 'appointment'] },
  isTenantOverride: { type: 'boolean' },
  statuses: {
    type: 'array',
    items: obj({ code: str, label: str, color: nstr, icon: nstr, order: int, isInitial: { type: 'boolean' }, isTerminal: { type: 'boolean' }, category: nstr }),
  },
  transitions: { type: 'array', items: obj({ from: str, to: str, requiresReason: { type: 'boolean' }, requiresEvidence: { type: 'boolean' }, isAutomatic: { type: 'boolean' } }) },
});

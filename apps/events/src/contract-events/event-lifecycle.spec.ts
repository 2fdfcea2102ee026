import { seedFlow } from '@app/shared/status-machine/flow-format';
import { StatusMachine } from '@app/shared/status-machine/status-machine';
import { DEFAULT_FLOWS } from '../status-config/default-flows';
import { lifecycleEventOf } from './event-lifecycle';

const service = new StatusMachine(DEFAULT_FLOWS.service, 'strict');
const billing = new StatusMachine(DEFAULT_FLOWS.billing, 'strict');

describe('lifecycle events of a contract event move', () => {
  it.each([
    ['scheduled', 'assigned', 'EVENT_PREPARATION_STARTED'],
    ['due', 'assigned', 'EVENT_PREPARATION_STARTED'],
    ['overdue', 'assigned', 'EVENT_PREPARATION_STARTED'],
    ['assigned', 'in_progress', 'EVENT_STARTED'],
    ['scheduled', 'in_progress', 'EVENT_STARTED'],
    ['in_progress', 'completed', 'EVENT_COMPLETED'],
    ['assigned', 'cancelled', 'EVENT_CANCELLED'],
  ])('maps %s → %s of the default service flow to %s', (from, to, type) => {
    expect(lifecycleEventOf(service, from, to)).toBe(type);
  });

  it.each([
    ['on_hold', 'in_progress'],
    ['in_progress', 'on_hold'],
    ['on_hold', 'assigned'],
    ['scheduled', 'due'],
    ['due', 'overdue'],
    ['reopened', 'in_progress'],
  ])('emits nothing more for %s → %s', (from, to) => {
    expect(lifecycleEventOf(service, from, to)).toBeNull();
  });

  it('maps billing by bucket too: paid is done, an invoice starts it', () => {
    expect(lifecycleEventOf(billing, 'payment_pending', 'paid')).toBe('EVENT_COMPLETED');
    expect(lifecycleEventOf(billing, 'scheduled', 'invoice_generated')).toBe('EVENT_STARTED');
    expect(lifecycleEventOf(billing, 'overdue', 'bad_debt')).toBe('EVENT_CANCELLED');
  });

  it('follows a tenant flow with its own codes by their buckets, and its ready status', () => {
    const tenant = new StatusMachine(
      seedFlow({
        statuses: [
          ['planned', 'Planned', '#6B7280', 'Clock', 'upcoming', 'initial'],
          ['staffing', 'Staffing', '#3B82F6', 'Users', 'upcoming'],
          ['ready', 'Ready', '#0EA5E9', 'Check', 'upcoming'],
          ['live', 'Live', '#8B5CF6', 'Play', 'in_progress'],
          ['wrapped', 'Wrapped', '#10B981', 'CheckCircle', 'done', 'terminal'],
          ['dropped', 'Dropped', '#EF4444', 'XCircle', 'cancelled', 'terminal'],
        ],
        transitions: ['planned>staffing', 'staffing>ready', 'ready>live', 'live>wrapped', 'planned>dropped +reason'],
      }),
      'strict',
    );
    expect(lifecycleEventOf(tenant, 'planned', 'staffing')).toBe('EVENT_PREPARATION_STARTED');
    expect(lifecycleEventOf(tenant, 'staffing', 'ready')).toBe('EVENT_READY');
    expect(lifecycleEventOf(tenant, 'ready', 'live')).toBe('EVENT_STARTED');
    expect(lifecycleEventOf(tenant, 'live', 'wrapped')).toBe('EVENT_COMPLETED');
    expect(lifecycleEventOf(tenant, 'planned', 'dropped')).toBe('EVENT_CANCELLED');
  });
});

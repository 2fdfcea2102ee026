import { StatusMachine } from '@app/shared/status-machine/status-machine';
import { assertValidFlow } from '@app/shared/status-machine/status-machine';
import { DEFAULT_FLOWS, DEFAULT_SETTINGS } from './default-flows';
import { EventFlow } from './event-flow';

const flow = (type: 'service' | 'spare_part' | 'billing') =>
  new EventFlow(type, new StatusMachine(DEFAULT_FLOWS[type], 'strict'), DEFAULT_SETTINGS[type], false);

describe('default flows', () => {
  it.each(['service', 'spare_part', 'billing'] as const)('%s is a valid flow with a bucket for every status', (type) => {
    expect(() => assertValidFlow(DEFAULT_FLOWS[type])).not.toThrow();
    expect(DEFAULT_FLOWS[type].statuses.every((s) => s.category)).toBe(true);
    expect(flow(type).sourcesOf('due')).toContain('scheduled');
    expect(flow(type).sourcesOf('overdue')).toEqual(expect.arrayContaining(['scheduled', 'due']));
  });

  it('walks the shortest reason-free path through the flow', () => {
    expect(flow('service').pathTo('scheduled', 'completed')).toEqual(['in_progress', 'completed']);
    expect(flow('service').pathTo('overdue', 'in_progress')).toEqual(['in_progress']);
    expect(flow('spare_part').pathTo('scheduled', 'installed')).toEqual(['procurement_pending', 'ordered', 'shipped', 'delivered', 'installed']);
    // completed → reopened needs a reason: never taken implicitly
    expect(flow('service').pathTo('completed', 'in_progress')).toBeNull();
  });

  it('gates visit completion on required sub-tasks, and not payments', () => {
    expect(flow('service').isTaskGated('in_progress', 'completed')).toBe(true);
    expect(flow('billing').isTaskGated('due', 'paid')).toBe(false);
  });
});

import { describe, expect, it } from '@jest/globals';
import { keys, keysToRefresh } from './query-keys';

const message = (topic: string, id: string) => ({ topic, id, types: [] });

describe('keysToRefresh', () => {
  it('refreshes a contract event, its lists, the cockpit and what shows its status', () => {
    const refresh = keysToRefresh(message('event', 'e1'));
    expect(refresh).toEqual(expect.arrayContaining([['event', 'e1'], ['events'], ['cockpit'], ['contract']]));
    // by prefix: the event's audit and moves hang below its key
    expect(keys.eventAudit('e1').slice(0, 2)).toEqual(['event', 'e1']);
  });

  it('refreshes a job and the job lists, and nothing of contracts', () => {
    const refresh = keysToRefresh(message('job', 'j1'));
    expect(refresh).toEqual([['job', 'j1'], ['jobs'], ['sandbox']]);
  });

  it('refreshes the object and its list for a topic it does not know yet', () => {
    expect(keysToRefresh(message('invoice', 'i1'))).toEqual([['invoice', 'i1'], ['invoices']]);
  });
});

import { assertValidFlow, StatusMachine } from '@app/shared/status-machine/status-machine';
import { seededFlow } from '../../test/support/unit-factories';
import { EVENT_TYPE_CODES, machineSeeds } from './jtd-master-data';

/** The moves the dispatcher makes by itself (claim, gates, outcomes, recovery, reports, limits). */
const PIPELINE_MOVES = [
  'created>pending',
  'created>scheduled',
  'scheduled>pending',
  'pending>queued',
  'queued>executing',
  'executing>sent',
  'executing>failed',
  'failed>scheduled',
  'pending>scheduled',
  'pending>held',
  'held>pending',
  'sent>delivered',
  'sent>read',
  'delivered>read',
  'sent>failed',
  'sent>bounced',
];

describe('JTD master data', () => {
  it('seeds a valid status machine for every event type', () => {
    expect(machineSeeds().map((m) => m.eventType)).toEqual([...EVENT_TYPE_CODES]);
    for (const code of EVENT_TYPE_CODES) expect(() => assertValidFlow(seededFlow(code))).not.toThrow();
  });

  it('defines every move the pipeline makes by itself, as automatic, in every flow', () => {
    for (const code of EVENT_TYPE_CODES) {
      const machine = new StatusMachine(seededFlow(code), 'soft');
      for (const move of PIPELINE_MOVES) {
        const [from, to] = move.split('>');
        expect({ code, move, verdict: machine.check({ from, to }) }).toMatchObject({
          code,
          move,
          verdict: { isValidTransition: true, transition: { isAutomatic: true } },
        });
      }
    }
  });

  it('keeps a person’s moves manual: retrying a failed job, cancelling one that has not gone out', () => {
    const machine = new StatusMachine(seededFlow('notification'), 'soft');
    expect(machine.check({ from: 'failed', to: 'pending' }).transition).toMatchObject({ isAutomatic: false });
    expect(machine.check({ from: 'pending', to: 'cancelled' }).transition).toMatchObject({ isAutomatic: false });
  });
});

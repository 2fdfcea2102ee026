/** Who did something. System actors have the well-known UUIDs of the JTD seed (Appendix A). */
export const ACTOR_TYPES = ['user', 'vani', 'system', 'webhook'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** Where a change came from, as recorded on every audit row. */
export const CHANGE_SOURCES = ['user', 'system', 'vani'] as const;
export type ChangeSource = (typeof CHANGE_SOURCES)[number];

export interface Actor {
  type: ActorType;
  id: string;
  name: string;
}

export const SYSTEM_ACTORS = {
  vani: { type: 'vani', id: '00000000-0000-0000-0000-000000000001', name: 'VaNi' },
  system: { type: 'system', id: '00000000-0000-0000-0000-000000000002', name: 'System' },
  webhook: { type: 'webhook', id: '00000000-0000-0000-0000-000000000003', name: 'Webhook' },
} as const satisfies Record<string, Actor>;

/** A webhook or the scheduler acts as System for audit `source`; VaNi as vani; people as user. */
export function sourceOf(actor: Actor): ChangeSource {
  if (actor.type === 'vani') return 'vani';
  if (actor.type === 'user') return 'user';
  return 'system';
}

import { formatTransitions, parseTransitions, seedFlow } from './flow-format';

describe('seed flow format', () => {
  it('reads moves with their flags, alternatives and several per string', () => {
    expect(parseTransitions(['a>b', 'b>c +reason', 'c>d +evidence +reason', 'a|b>x +auto'])).toEqual([
      { from: 'a', to: 'b', requiresReason: false, requiresEvidence: false, isAutomatic: false },
      { from: 'b', to: 'c', requiresReason: true, requiresEvidence: false, isAutomatic: false },
      { from: 'c', to: 'd', requiresReason: true, requiresEvidence: true, isAutomatic: false },
      { from: 'a', to: 'x', requiresReason: false, requiresEvidence: false, isAutomatic: true },
      { from: 'b', to: 'x', requiresReason: false, requiresEvidence: false, isAutomatic: true },
    ]);
    expect(parseTransitions('a>b +auto, b>c\n c>a').map((t) => `${t.from}>${t.to}`)).toEqual(['a>b', 'b>c', 'c>a']);
  });

  it('refuses what it cannot read, naming it', () => {
    expect(() => parseTransitions(['a->b'])).toThrow('not a transition: "a->b"');
    expect(() => parseTransitions(['a>b +urgent'])).toThrow('unknown flag +urgent');
    expect(() => parseTransitions(['a>b!r'])).toThrow('not a transition');
  });

  it('numbers statuses in the order given and validates the flow', () => {
    const flow = seedFlow({
      statuses: [
        ['open', 'Open', '#fff', 'Circle', 'upcoming', 'initial'],
        ['done', 'Done', null, null, 'done', 'terminal'],
      ],
      transitions: ['open>done +evidence'],
    });
    expect(flow.statuses.map((s) => [s.code, s.order, s.isInitial, s.isTerminal])).toEqual([
      ['open', 1, true, false],
      ['done', 2, false, true],
    ]);
    expect(() => seedFlow({ statuses: [['open', 'Open', null, null, null, 'initial']], transitions: ['open>closed'] })).toThrow('the status flow is not valid');
  });

  it('writes a flow back in the same format', () => {
    const lines = ['a>b', 'b>c +reason +evidence', 'c>a +auto'];
    expect(formatTransitions(parseTransitions(lines))).toEqual(lines);
  });
});

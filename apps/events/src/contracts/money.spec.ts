import { fromCents, splitEvenly, toCents } from './money';

describe('money', () => {
  it('converts decimal strings to cents and back without floats', () => {
    expect(toCents('1250.5')).toBe(125050n);
    expect(toCents('0.07')).toBe(7n);
    expect(fromCents(125050n)).toBe('1250.50');
    expect(fromCents(-7n)).toBe('-0.07');
  });

  it('splits a total into equal parts with the remainder on the last, summing exactly', () => {
    expect(splitEvenly('100.00', 3)).toEqual(['33.33', '33.33', '33.34']);
    expect(splitEvenly('10000.03', 4)).toEqual(['2500.00', '2500.00', '2500.00', '2500.03']);
    const parts = splitEvenly('99999.99', 7);
    expect(parts.reduce((s, p) => s + toCents(p), 0n)).toBe(9999999n);
  });
});

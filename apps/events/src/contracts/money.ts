/** Decimal strings ↔ integer cents, so splits and sums are exact (no float ever touches money). */
export function toCents(amount: string): bigint {
  const [whole, frac = ''] = amount.split('.');
  const sign = whole.startsWith('-') ? -1n : 1n;
  return sign * (BigInt(whole.replace('-', '')) * 100n + BigInt((frac + '00').slice(0, 2)));
}

export function fromCents(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** Splits a total into n parts of equal cents; the rounding remainder goes on the last part. */
export function splitEvenly(total: string, n: number): string[] {
  const cents = toCents(total);
  const base = cents / BigInt(n);
  const parts = Array.from({ length: n }, () => base);
  parts[n - 1] = cents - base * BigInt(n - 1);
  return parts.map(fromCents);
}

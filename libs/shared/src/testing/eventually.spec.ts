import { eventually } from './eventually';

describe('eventually', () => {
  it('returns the value once the assertion passes', async () => {
    let calls = 0;
    const value = await eventually(
      () => {
        calls++;
        if (calls < 3) throw new Error('not yet');
        return 'done';
      },
      { intervalMs: 1 },
    );
    expect(value).toBe('done');
    expect(calls).toBe(3);
  });

  it('rethrows the last failure when time is up, so the test says what was still wrong', async () => {
    let n = 0;
    await expect(
      eventually(
        () => {
          throw new Error(`attempt ${++n}`);
        },
        { timeoutMs: 30, intervalMs: 5 },
      ),
    ).rejects.toThrow(/^attempt \d+$/);
    expect(n).toBeGreaterThan(1);
  });
});

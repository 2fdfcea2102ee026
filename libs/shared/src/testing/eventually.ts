/**
 * Retries an assertion until it passes or the time is up; for effects that travel through the broker.
 * The last failure is rethrown so the test says what was still wrong.
 */
export async function eventually<T>(assertion: () => Promise<T> | T, { timeoutMs = 10000, intervalMs = 50 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      return await assertion();
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) throw lastError;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

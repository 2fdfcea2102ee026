// Per-fault figures from the load's attempts: errors clients saw, latency percentiles, time to recover.

function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** A definite answer about the request (2xx-4xx except 409 "in progress" and 429) is not an error of the system. */
function isFailure(a) {
  if (typeof a.status !== 'number') return true;
  return a.status >= 500 || a.status === 429;
}

/** Attempts within [from, to): counts, errors by kind, p50/p99, and when the last failure ended. */
function windowStats(attempts, from, to) {
  const inside = attempts.filter((a) => a.at >= from && a.at < to && a.op !== 'lookup');
  const ms = inside.map((a) => a.ms).sort((x, y) => x - y);
  const failures = inside.filter(isFailure);
  const byKind = {};
  for (const f of failures) byKind[f.status] = (byKind[f.status] ?? 0) + 1;
  const lastFailureEnd = failures.reduce((m, f) => Math.max(m, f.at + f.ms), 0);
  const seconds = (to - from) / 1000;
  return {
    requests: inside.length,
    perSecond: seconds > 0 ? Math.round((inside.filter((a) => !isFailure(a)).length / seconds) * 10) / 10 : 0,
    errors: failures.length,
    errorsByKind: byKind,
    clientRetries4xx: inside.filter((a) => typeof a.status === 'number' && a.status >= 400 && a.status < 500 && a.status !== 429).length,
    p50Ms: percentile(ms, 50),
    p99Ms: percentile(ms, 99),
    maxMs: ms.length ? ms[ms.length - 1] : null,
    // From the fault until the end of the last failed request it caused (0: no client saw an error).
    recoverMs: failures.length ? Math.max(0, lastFailureEnd - from) : 0,
  };
}

module.exports = { windowStats, percentile, isFailure };

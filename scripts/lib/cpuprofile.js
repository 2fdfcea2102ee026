// Reads a V8 .cpuprofile (what `node --cpu-prof` writes, and the bench with BENCH_CPU_PROF) into a call tree
// weighted by time, and sums it by function and by package. Used by scripts/flame.js.
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
// The bench runs the apps from its own build (scripts/bench.js): that is our code, not a dependency.
const BENCH_BUILD = '/node_modules/.cache/cn-bench-build/';

/**
 * Where a frame's code comes from: our code by directory (apps/<app>/src/<dir>, libs/shared/src/<dir>),
 * a dependency (node_modules/<pkg>, the innermost one), Node's own JavaScript (node:internal/…), or V8
 * itself (GC, the compiler, builtins such as JSON.parse: frames without a script).
 */
function classify(callFrame) {
  const url = (callFrame.url || '').replace(/^file:\/\//, '');
  if (!url) return { group: 'V8 / native', kind: callFrame.functionName === '(garbage collector)' ? 'gc' : 'native', file: '' };
  if (url.startsWith('node:')) return { group: 'node internals', kind: 'node', file: url };
  const built = url.indexOf(BENCH_BUILD);
  const ours =
    built >= 0 ? url.slice(built + BENCH_BUILD.length) : url.startsWith(ROOT + '/') && !url.includes('/node_modules/') ? path.relative(ROOT, url) : null;
  if (ours !== null) {
    const parts = ours.split('/');
    const depth = parts[0] === 'apps' || parts[0] === 'libs' ? 4 : 2;
    return { group: parts.slice(0, Math.min(depth, parts.length - 1)).join('/') || ours, kind: 'ours', file: ours.replace(/\.js$/, '.ts') };
  }
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    const pkg = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    return { group: `node_modules/${pkg}`, kind: 'dep', file: `${pkg}/${rest.slice(pkg.split('/').length).join('/')}` };
  }
  return { group: url, kind: 'other', file: url };
}

/**
 * The profile as a tree of frames merged by call path, with `self` and `total` in ms. A sample lasts until
 * the next one (as Chrome DevTools counts it); `(idle)` is left out of the tree and reported apart, since a
 * server profile is mostly waiting. `fromS`/`toS` keep the samples within that window (seconds from the
 * profile's start).
 */
function loadProfile(profile, { fromS = 0, toS = Infinity } = {}) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const deltas = profile.timeDeltas || [];
  const sorted = deltas.filter((d) => d > 0).sort((a, b) => a - b);
  const typical = sorted.length ? sorted[Math.floor(sorted.length / 2)] : 1000;
  const selfUs = new Map();
  let t = 0;
  let idleUs = 0;
  let spanUs = 0;
  let inWindow = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += deltas[i] || 0;
    const dt = i + 1 < deltas.length ? Math.max(0, deltas[i + 1]) : typical;
    if (t / 1e6 < fromS || t / 1e6 > toS) continue;
    spanUs += dt;
    inWindow++;
    const id = profile.samples[i];
    if (byId.get(id)?.callFrame.functionName === '(idle)') idleUs += dt;
    else selfUs.set(id, (selfUs.get(id) || 0) + dt);
  }
  // Merge nodes by the path of frames that leads to them (V8 may split one path over several nodes).
  const root = { name: '(all)', key: '', info: { group: '', kind: 'root', file: '' }, self: 0, total: 0, children: new Map() };
  const pathOf = (id) => {
    const ids = [];
    for (let at = id; at !== undefined; at = parent.get(at)) ids.unshift(at);
    return ids.slice(1); // without V8's (root)
  };
  for (const [id, us] of selfUs) {
    let node = root;
    node.total += us / 1000;
    for (const pid of pathOf(id)) {
      const cf = byId.get(pid).callFrame;
      const key = `${cf.functionName}|${cf.url}|${cf.lineNumber}|${cf.columnNumber}`;
      let child = node.children.get(key);
      if (!child) {
        const info = classify(cf);
        const where = info.file ? `${info.file}:${cf.lineNumber + 1}` : '';
        child = { name: cf.functionName || '(anonymous)', key, where, info, self: 0, total: 0, children: new Map() };
        node.children.set(key, child);
      }
      child.total += us / 1000;
      node = child;
    }
    node.self += us / 1000;
  }
  const durationS = ((profile.endTime || 0) - (profile.startTime || 0)) / 1e6;
  return { root, busyMs: root.total, idleMs: idleUs / 1000, windowMs: spanUs / 1000, durationS, samples: inWindow };
}

/**
 * Self and inclusive time per function and per package. Inclusive time counts a stack once for each
 * function or package on it, however often it recurs there.
 */
function summarise(root) {
  const fns = new Map();
  const groups = new Map();
  const onStack = { fn: new Map(), group: new Map() };
  const enter = (map, key) => map.set(key, (map.get(key) || 0) + 1);
  const leave = (map, key) => (map.get(key) === 1 ? map.delete(key) : map.set(key, map.get(key) - 1));
  const walk = (node) => {
    const fnKey = node.key;
    const f = fns.get(fnKey) || { name: node.name, where: node.where, group: node.info.group, self: 0, total: 0 };
    fns.set(fnKey, f);
    const g = groups.get(node.info.group) || { group: node.info.group, kind: node.info.kind, self: 0, total: 0 };
    groups.set(node.info.group, g);
    f.self += node.self;
    g.self += node.self;
    if (!onStack.fn.has(fnKey)) f.total += node.total;
    if (!onStack.group.has(node.info.group)) g.total += node.total;
    enter(onStack.fn, fnKey);
    enter(onStack.group, node.info.group);
    for (const c of node.children.values()) walk(c);
    leave(onStack.fn, fnKey);
    leave(onStack.group, node.info.group);
  };
  for (const c of root.children.values()) walk(c);
  return { functions: [...fns.values()], groups: [...groups.values()] };
}

module.exports = { classify, loadProfile, summarise };

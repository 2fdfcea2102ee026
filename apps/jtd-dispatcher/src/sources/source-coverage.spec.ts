import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SOURCE_TYPES } from '../master-data/jtd-master-data';

const ROOT = join(__dirname, '../../../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'migrations' || d.name === 'master-data' ? [] : sourceFiles(path);
    return d.name.endsWith('.ts') && !d.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Source types a flow of this system requests: `sourceType: '<code>'` anywhere, or a code named by a dispatcher consumer. */
function triggered(): Set<string> {
  const codes = new Set<string>();
  const known = SOURCE_TYPES.map((s) => s[0] as string);
  for (const app of readdirSync(join(ROOT, 'apps'))) {
    let files: string[];
    try {
      files = sourceFiles(join(ROOT, 'apps', app, 'src'));
    } catch {
      continue;
    }
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/sourceType:\s*'([a-z_]+)'/g)) codes.add(m[1]);
      if (file.includes(join('jtd-dispatcher', 'src', 'sources'))) for (const code of known) if (text.includes(`'${code}'`)) codes.add(code);
    }
  }
  return codes;
}

/** The JSON examples of apps/jtd-dispatcher/README.md that are JTD_REQUESTED payloads, by source type. */
function documented(): Map<string, Record<string, unknown>> {
  const readme = readFileSync(join(ROOT, 'apps/jtd-dispatcher/README.md'), 'utf8');
  const examples = new Map<string, Record<string, unknown>>();
  for (const m of readme.matchAll(/```json\n([\s\S]*?)```/g)) {
    const example = JSON.parse(m[1]) as Record<string, unknown>;
    if (typeof example.sourceType === 'string') examples.set(example.sourceType, example);
  }
  return examples;
}

describe('JTD source types', () => {
  it('each seeded source type has a trigger in a real flow or a pasteable external example in the README', () => {
    const flows = triggered();
    const examples = documented();
    const orphans = SOURCE_TYPES.map((s) => s[0] as string).filter((code) => !flows.has(code) && !examples.has(code));
    expect(orphans).toEqual([]);
  });

  it('the lifecycle flows trigger payment_received and contract_signed', () => {
    const flows = triggered();
    expect(flows.has('payment_received')).toBe(true);
    expect(flows.has('contract_signed')).toBe(true);
  });

  it('every README example is a complete JTD_REQUESTED payload of a seeded source type', () => {
    const seeded = new Set(SOURCE_TYPES.map((s) => s[0] as string));
    const examples = documented();
    expect(examples.size).toBeGreaterThan(0);
    for (const [code, p] of examples) {
      expect(seeded.has(code)).toBe(true);
      expect(p).toMatchObject({
        requestId: expect.any(String),
        eventType: expect.any(String),
        recipient: { type: expect.any(String), name: expect.any(String) },
      });
      expect(typeof p.variables).toBe('object');
    }
  });
});

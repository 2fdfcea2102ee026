import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadConsoleFiles } from './console-files';

describe('loadConsoleFiles', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cn-console-files-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds no console where no index.html was built', () => {
    writeFileSync(join(dir, 'readme.txt'), 'x');
    expect(loadConsoleFiles(dir)).toBeUndefined();
    expect(loadConsoleFiles(join(dir, 'missing'))).toBeUndefined();
  });

  it('keeps each built file by its path, hashed assets as immutable, text gzipped when that is smaller', () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
    const script = `export const a = ${JSON.stringify('x'.repeat(5000))};`;
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), script);
    writeFileSync(join(dir, 'assets', 'notes.unknown'), 'not served');
    const files = loadConsoleFiles(dir)!;
    expect([...files.keys()].sort()).toEqual(['assets/index-abc123.js', 'index.html']);
    expect(files.get('index.html')).toMatchObject({ contentType: 'text/html; charset=utf-8', immutable: false, gzip: undefined });
    const js = files.get('assets/index-abc123.js')!;
    expect(js).toMatchObject({ contentType: 'text/javascript; charset=utf-8', immutable: true });
    expect(gunzipSync(js.gzip!).toString()).toBe(script);
  });
});

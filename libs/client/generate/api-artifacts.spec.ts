import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '@app/shared/logging/logger';
import { apiArtifacts, ROLE_MATRIX_END, ROLE_MATRIX_START } from './api-artifacts';

const root = join(__dirname, '..', '..', '..');
const committed = (file: string) => readFileSync(join(root, file), 'utf8');

describe('files generated from the operation registry', () => {
  let artifacts: Awaited<ReturnType<typeof apiArtifacts>>;
  beforeAll(async () => {
    artifacts = await apiArtifacts();
  });

  it.each(['docs/openapi.json', 'libs/client/src/schema.d.ts'] as const)('%s is up to date (else run `npm run api`)', (file) => {
    expect(committed(file)).toBe(artifacts[file]);
  });

  it('the README shows the current role matrix (else run `npm run api`)', () => {
    const readme = committed('README.md');
    const matrix = readme.slice(readme.indexOf(ROLE_MATRIX_START), readme.indexOf(ROLE_MATRIX_END) + ROLE_MATRIX_END.length);
    expect(matrix).toBe(artifacts.roleMatrix);
    createLogger('role-matrix', 'info').info(`who may call what:\n${artifacts.roleMatrix}`);
  });
});

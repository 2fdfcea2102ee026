import type { Db } from '@app/shared/db/sql';
import { DomainError } from '@app/shared/errors/domain-error';
import { JobRow } from '../job-row';
import { JobRepository } from '../job.repository';

/** The tenant's job, locked for `tx`; another tenant's is not found (404). */
export async function lockJob(tx: Db, jobs: JobRepository, tenantId: string, id: string): Promise<JobRow> {
  const job = await jobs.lock(tx, tenantId, id);
  if (!job) throw DomainError.notFound('job', id);
  return job;
}

/** The job as stored once the move is written (what the answer shows). */
export async function reread(tx: Db, jobs: JobRepository, tenantId: string, id: string): Promise<JobRow> {
  return (await jobs.byId(tx, tenantId, id))!;
}

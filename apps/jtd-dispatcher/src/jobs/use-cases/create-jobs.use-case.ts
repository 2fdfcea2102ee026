import { Injectable } from '@nestjs/common';
import { CreatedJobsView, CreateJobsDto } from '@app/shared/api/jtd/jobs.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { DomainError } from '@app/shared/errors/domain-error';
import { containsSealed } from '@app/shared/security/sealed-fields';
import { JobCreator } from '../job-creator';
import { jobView } from '../job.view';

/** `POST /v1/jtd`: at least one job, or 422 saying why each channel was left out. */
@Injectable()
export class CreateJobsUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly creator: JobCreator,
  ) {}

  async execute(ctx: RequestContext, dto: CreateJobsDto): Promise<CreatedJobsView> {
    const { channel, channels, ...rest } = dto;
    if (channel !== undefined && channels !== undefined) throw DomainError.validation({ channels: ['give channel or channels, not both'] });
    // A sealed value is opened at the send, to whatever address the job names: only services' events may bring one.
    if (containsSealed(dto.variables)) throw DomainError.validation({ variables: ['sealed values ($sealed) are accepted from domain events only'] });
    const created = await this.db.run((tx) =>
      this.creator.create(tx, ctx, { ...rest, channels: channels ?? (channel ? [channel] : undefined), requestId: null }),
    );
    if (created.jobs.length === 0) throw DomainError.rule('no channel could be used for this job', { skipped: created.skipped });
    return { items: created.jobs.map(jobView), skipped: created.skipped };
  }
}

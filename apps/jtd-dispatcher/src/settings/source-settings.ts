import type { Db } from '@app/shared/db/sql';
import { DomainError } from '@app/shared/errors/domain-error';
import { MasterDataRepository } from '../master-data/master-data.repository';
import { SourceConfig, SourceConfigRepository } from './source-config.repository';

/** The tenant's override of a source type, or the defaults (version 0) while it has none; an unknown source type is 404. */
export async function sourceSettingsOf(
  db: Db,
  master: MasterDataRepository,
  sources: SourceConfigRepository,
  tenantId: string,
  sourceType: string,
): Promise<SourceConfig> {
  if (!(await master.isSourceType(db, sourceType))) throw DomainError.notFound('source type', sourceType);
  return (
    (await sources.find(db, tenantId, sourceType)) ?? {
      tenantId,
      sourceTypeCode: sourceType,
      channelsEnabled: null,
      isEnabled: true,
      autoExecute: false,
      priorityOverride: null,
      delaySeconds: 0,
      version: 0,
    }
  );
}

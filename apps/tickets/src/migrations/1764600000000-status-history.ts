import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Status changes of tickets and appointments take the history shape every service shares
 * (libs/shared/src/status-machine/status-history.ts): the actor in three columns, the change's source, and
 * whether the flow defined the move. Uploads are found by their file store key (the sweep of unreferenced
 * files asks which keys evidence refers to).
 */
export class StatusHistory1764600000000 implements MigrationInterface {
  name = 'StatusHistory1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
ALTER TABLE status_history ADD COLUMN actor_type text, ADD COLUMN actor_id uuid, ADD COLUMN actor_name text,
  ADD COLUMN source text, ADD COLUMN is_valid_transition boolean NOT NULL DEFAULT true;
UPDATE status_history SET actor_type = actor->>'type', actor_id = (actor->>'id')::uuid, actor_name = actor->>'name',
  source = CASE actor->>'type' WHEN 'user' THEN 'user' WHEN 'vani' THEN 'vani' ELSE 'system' END;
ALTER TABLE status_history ALTER COLUMN actor_type SET NOT NULL, ALTER COLUMN source SET NOT NULL, DROP COLUMN actor;
CREATE INDEX evidence_storage_key_idx ON evidence (tenant_id, storage_key) WHERE storage_key IS NOT NULL;
`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
DROP INDEX evidence_storage_key_idx;
ALTER TABLE status_history ADD COLUMN actor jsonb;
UPDATE status_history SET actor = jsonb_build_object('type', actor_type, 'id', actor_id, 'name', coalesce(actor_name, ''));
ALTER TABLE status_history ALTER COLUMN actor SET NOT NULL,
  DROP COLUMN actor_type, DROP COLUMN actor_id, DROP COLUMN actor_name, DROP COLUMN source, DROP COLUMN is_valid_transition;
`);
  }
}

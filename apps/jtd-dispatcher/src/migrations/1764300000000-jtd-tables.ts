import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The JTD schema: master tables (actors, event types, channels, source types, templates), tenant config,
 * jobs with their history and attempts, and the Postgres-backed coordination the workers share (usage
 * counters for limits, per-minute rate buckets, leases on the job rows themselves).
 */
export class JtdTables1764300000000 implements MigrationInterface {
  name = 'JtdTables1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
CREATE TABLE system_actors (
  id uuid PRIMARY KEY, code varchar(50) UNIQUE NOT NULL, name varchar(100) NOT NULL, description text, avatar_url text,
  is_active boolean NOT NULL DEFAULT true, created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE event_types (
  code varchar(50) PRIMARY KEY, name varchar(100) NOT NULL, category varchar(50) NOT NULL, icon varchar(50), color varchar(20),
  allowed_channels text[] NOT NULL DEFAULT '{}', supports_scheduling boolean NOT NULL DEFAULT false,
  supports_recurrence boolean NOT NULL DEFAULT false, supports_batch boolean NOT NULL DEFAULT false,
  default_priority int NOT NULL DEFAULT 5, default_max_retries int NOT NULL DEFAULT 3, retry_delay_seconds int NOT NULL DEFAULT 300,
  display_order int NOT NULL DEFAULT 0, is_active boolean NOT NULL DEFAULT true
);
CREATE TABLE channels (
  code varchar(20) PRIMARY KEY, name varchar(50) NOT NULL, default_provider varchar(50), cost_per_unit numeric(10,4) NOT NULL DEFAULT 0,
  rate_limit_per_minute int NOT NULL DEFAULT 100, supports_templates boolean NOT NULL DEFAULT true,
  supports_attachments boolean NOT NULL DEFAULT false, supports_rich_content boolean NOT NULL DEFAULT false, max_content_length int,
  has_delivery_confirmation boolean NOT NULL DEFAULT true, has_read_receipt boolean NOT NULL DEFAULT false,
  display_order int NOT NULL DEFAULT 0, icon varchar(50), color varchar(20), is_active boolean NOT NULL DEFAULT true
);
CREATE TABLE source_types (
  code varchar(50) PRIMARY KEY, name varchar(100) NOT NULL, default_event_type varchar(50) REFERENCES event_types(code),
  default_channels text[] NOT NULL DEFAULT '{}', is_active boolean NOT NULL DEFAULT true
);
CREATE TABLE templates (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(), tenant_id uuid NULL, template_key varchar(100) NOT NULL, name varchar(200) NOT NULL,
  channel_code varchar(20) NOT NULL REFERENCES channels(code), source_type_code varchar(50) REFERENCES source_types(code),
  subject varchar(500), content text NOT NULL, content_html text, variables jsonb NOT NULL DEFAULT '[]',
  provider_template_id varchar(100), version int NOT NULL DEFAULT 1, is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX uq_templates_tenant ON templates (tenant_id, template_key, channel_code) WHERE tenant_id IS NOT NULL;
CREATE UNIQUE INDEX uq_templates_system ON templates (template_key, channel_code) WHERE tenant_id IS NULL;
CREATE INDEX idx_templates_lookup ON templates (channel_code, source_type_code, is_active);

CREATE TABLE tenant_config (
  tenant_id uuid PRIMARY KEY, vani_enabled boolean NOT NULL DEFAULT false, vani_auto_execute_types text[] NOT NULL DEFAULT '{}',
  channels_enabled jsonb NOT NULL DEFAULT '{"email":true,"sms":false,"whatsapp":false,"push":false,"inapp":true}',
  daily_limit int NULL, monthly_limit int NULL, default_priority int NOT NULL DEFAULT 5, timezone varchar(64) NOT NULL DEFAULT 'UTC',
  quiet_hours_start time NULL, quiet_hours_end time NULL, appointment_reminder_lead_minutes int NOT NULL DEFAULT 1440,
  is_live boolean NOT NULL DEFAULT true, webhook_secret text NOT NULL, provider_profile varchar(100) NULL,
  version int NOT NULL DEFAULT 1, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE tenant_source_config (
  tenant_id uuid NOT NULL, source_type_code varchar(50) NOT NULL REFERENCES source_types(code), channels_enabled text[] NULL,
  is_enabled boolean NOT NULL DEFAULT true, auto_execute boolean NOT NULL DEFAULT false, priority_override int NULL,
  delay_seconds int NOT NULL DEFAULT 0, version int NOT NULL DEFAULT 1, updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, source_type_code)
);

CREATE TABLE jobs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(), tenant_id uuid NOT NULL,
  event_type_code varchar(50) NOT NULL REFERENCES event_types(code), channel_code varchar(20) NOT NULL REFERENCES channels(code),
  source_type_code varchar(50) NOT NULL REFERENCES source_types(code), source_id varchar(100) NULL, source_ref varchar(255) NULL,
  dedupe_key text NOT NULL, request_id varchar(200) NULL,
  recipient_type varchar(50) NOT NULL, recipient_id uuid NULL, recipient_name varchar(255) NOT NULL, recipient_contact varchar(255) NULL,
  recipient jsonb NOT NULL, template_key varchar(100) NULL, template_id uuid NULL, variables jsonb NOT NULL DEFAULT '{}',
  business_context jsonb NOT NULL DEFAULT '{}',
  status_code varchar(30) NOT NULL DEFAULT 'created', previous_status_code varchar(30) NULL,
  status_changed_at timestamptz NOT NULL DEFAULT now(), is_valid_transition boolean NOT NULL DEFAULT true,
  priority int NOT NULL DEFAULT 5, scheduled_at timestamptz NULL, next_attempt_at timestamptz NULL,
  attempts int NOT NULL DEFAULT 0, max_retries int NOT NULL DEFAULT 3, retry_delay_seconds int NOT NULL DEFAULT 300,
  auto_execute boolean NOT NULL DEFAULT true,
  lease_owner text NULL, lease_until timestamptz NULL, send_started_at timestamptz NULL,
  sent_at timestamptz NULL, completed_at timestamptz NULL,
  last_error text NULL, error_code varchar(80) NULL, provider_code varchar(50) NULL, provider_message_id varchar(255) NULL,
  provider_response jsonb NULL, rendered jsonb NULL, cost numeric(10,4) NOT NULL DEFAULT 0,
  performed_by_type varchar(20) NOT NULL DEFAULT 'system', performed_by_id uuid NULL, performed_by_name varchar(255) NULL,
  is_live boolean NOT NULL DEFAULT true, version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT chk_performer CHECK (performed_by_type IN ('user','vani','system','webhook','admin'))
);
-- Creation is idempotent: a request id (events) or (source, source id, channel, template) names one job.
CREATE UNIQUE INDEX uq_jobs_dedupe ON jobs (tenant_id, dedupe_key);
CREATE INDEX idx_jobs_due ON jobs (next_attempt_at, priority DESC) WHERE status_code IN ('scheduled','pending','held','failed','queued') AND next_attempt_at IS NOT NULL;
CREATE INDEX idx_jobs_executing ON jobs (lease_until) WHERE status_code = 'executing';
CREATE INDEX idx_jobs_tenant_created ON jobs (tenant_id, created_at DESC, id DESC);
CREATE INDEX idx_jobs_source ON jobs (tenant_id, source_type_code, source_id);
CREATE INDEX idx_jobs_provider ON jobs (provider_code, provider_message_id) WHERE provider_message_id IS NOT NULL;

CREATE TABLE status_history (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(), tenant_id uuid NOT NULL, jtd_id uuid NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  from_status varchar(30) NULL, to_status varchar(30) NOT NULL, is_valid_transition boolean NOT NULL DEFAULT true,
  performed_by_type varchar(20) NOT NULL, performed_by_id uuid NULL, performed_by_name varchar(255) NULL,
  note text NULL, details jsonb NOT NULL DEFAULT '{}', duration_seconds int NULL, at timestamptz NOT NULL DEFAULT now(), seq bigserial
);
CREATE INDEX idx_status_history_jtd ON status_history (jtd_id, seq);

CREATE TABLE attempts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(), tenant_id uuid NOT NULL, jtd_id uuid NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  attempt_no int NOT NULL, provider varchar(50) NOT NULL, outcome varchar(30) NOT NULL, http_status int NULL, provider_code varchar(80) NULL,
  provider_message_id varchar(255) NULL, error text NULL, retry_after_ms int NULL, latency_ms int NULL, at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_attempts_jtd ON attempts (jtd_id, at);

CREATE TABLE inapp_notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(), tenant_id uuid NOT NULL, user_id uuid NOT NULL, title varchar(255) NOT NULL, body text NOT NULL,
  notification_type varchar(20) NOT NULL DEFAULT 'info', action_url varchar(500) NULL, metadata jsonb NOT NULL DEFAULT '{}',
  is_read boolean NOT NULL DEFAULT false, read_at timestamptz NULL, source_jtd_id uuid NULL UNIQUE, created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_inapp_user ON inapp_notifications (tenant_id, user_id, created_at DESC);

CREATE TABLE sandbox_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(), tenant_id uuid NOT NULL, jtd_id uuid NOT NULL UNIQUE, channel_code varchar(20) NOT NULL,
  provider varchar(50) NOT NULL, request jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_sandbox_tenant ON sandbox_messages (tenant_id, created_at DESC);

CREATE TABLE dead_device_tokens (
  tenant_id uuid NOT NULL, token text NOT NULL, reason varchar(80) NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, token)
);

-- Sends counted per tenant and period (day / month in the tenant's timezone) for the daily/monthly limits.
CREATE TABLE usage_counters (
  tenant_id uuid NOT NULL, period varchar(20) NOT NULL, used int NOT NULL DEFAULT 0, PRIMARY KEY (tenant_id, period)
);
-- One row per channel and minute shared by every replica: the per-channel provider rate limit.
CREATE TABLE rate_buckets (
  channel_code varchar(20) NOT NULL, window_start timestamptz NOT NULL, used int NOT NULL DEFAULT 0, PRIMARY KEY (channel_code, window_start)
);

CREATE TABLE webhook_receipts (
  tenant_id uuid NOT NULL, channel_code varchar(20) NOT NULL, digest text NOT NULL, jtd_id uuid NULL, created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, digest)
);
`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_receipts, rate_buckets, usage_counters, dead_device_tokens, sandbox_messages, inapp_notifications,
      attempts, status_history, jobs, tenant_source_config, tenant_config, templates, source_types, channels, event_types, system_actors`);
  }
}

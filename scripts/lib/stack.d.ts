import { StackService } from '../../libs/dev/services';
export const DEV_JWT_SECRET: string;
/** Node options an app runs with (V8 heap sizing). */
export function appNodeArgs(name: StackService['name']): string[];
export function appEnv(
  service: StackService,
  input: { databaseUrl: string; amqpUrl: string; portOffset?: number; extra?: Record<string, string> },
): Record<string, string>;
export interface RunningApp {
  service: StackService;
  url: string;
  exited: Promise<{ code: number | null; signal: string | null }>;
}
export function startStack(options: {
  adminUrl: string;
  amqpUrl: string;
  database: string;
  distDir?: string;
  portOffset?: number;
  log?: (m: string) => void;
  out?: NodeJS.WritableStream;
  readyTimeoutMs?: number;
  extraEnv?: Partial<Record<StackService['name'], Record<string, string>>>;
  onLaunched?: (stop: () => Promise<unknown>) => void;
}): Promise<{ apps: RunningApp[]; stop(timeoutMs?: number): Promise<Array<{ name: string; code: number | null; signal: string | null }>> }>;

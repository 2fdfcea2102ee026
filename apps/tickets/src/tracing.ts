// Imported first by main.ts: the tracer provider (and the standard instrumentations) must be in place
// before the app's modules load http, pg and amqplib.
import { startTracing } from '@app/shared/observability/tracing-setup';

startTracing('tickets', process.env);

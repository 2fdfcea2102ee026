import { IsInt, IsOptional, IsString, IsUUID, Min } from 'class-validator';
import { registerEventDefinitions } from '../../catalog/event-catalog';
import { defineEvent, DomainEventPayload } from '../event-definition';

/** Event types for the backbone's own tests; registered only by the tests that import this file. */
export class TestWidgetChangedPayload extends DomainEventPayload {
  @IsUUID()
  widgetId!: string;

  @IsInt()
  @Min(0)
  n!: number;

  @IsOptional()
  @IsString()
  note?: string;
}

export const TEST_WIDGET_CHANGED = defineEvent({
  type: 'TEST_WIDGET_CHANGED',
  payload: TestWidgetChangedPayload,
  version: 1,
  category: 'Test',
  description: 'A widget changed (messaging tests only).',
  retention: 'activity',
  producers: ['events'],
});

export const TEST_WIDGET_UNWATCHED = defineEvent({
  type: 'TEST_WIDGET_UNWATCHED',
  payload: TestWidgetChangedPayload,
  version: 1,
  category: 'Test',
  description: 'A widget event no service consumes (messaging tests only).',
  retention: 'default',
  producers: ['events'],
});

export const TEST_WIDGET_REVISED = defineEvent({
  type: 'TEST_WIDGET_REVISED',
  payload: TestWidgetChangedPayload,
  version: 1,
  category: 'Test',
  description: 'A widget revision, applied in aggregate order (messaging tests only).',
  retention: 'booking',
  producers: ['events'],
});

registerEventDefinitions([TEST_WIDGET_CHANGED, TEST_WIDGET_UNWATCHED, TEST_WIDGET_REVISED]);

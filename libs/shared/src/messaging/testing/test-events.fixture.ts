import { Type } from 'class-transformer';
import { IsArray, IsInt, IsOptional, IsString, IsUUID, Length, Min, ValidateNested } from 'class-validator';
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

export class TestKeyHolder {
  @IsString()
  name!: string;

  @IsString()
  token!: string;
}

/** Secrets where the schema says string, at the top and inside a list: what sealing must get through validation. */
export class TestSecretIssuedPayload extends DomainEventPayload {
  @IsUUID()
  widgetId!: string;

  @IsString()
  @Length(4, 8)
  pin!: string;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => TestKeyHolder)
  holders?: TestKeyHolder[];
}

export const TEST_SECRET_ISSUED = defineEvent({
  type: 'TEST_SECRET_ISSUED',
  payload: TestSecretIssuedPayload,
  version: 1,
  category: 'Test',
  description: 'A widget got a PIN and key holders (messaging tests only).',
  retention: 'default',
  producers: ['events'],
  sensitive: ['pin', 'holders.*.token'],
});

registerEventDefinitions([TEST_WIDGET_CHANGED, TEST_WIDGET_UNWATCHED, TEST_WIDGET_REVISED, TEST_SECRET_ISSUED]);

import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { allEventDefinitions, catalogEntry, findEventDefinition, payloadJsonSchema } from '@app/shared/catalog/event-catalog';
import { DomainError } from '@app/shared/errors/domain-error';
import { EventTypeParamDto } from './messaging-http.dto';

/** The event catalog, served from the same code that validates events (no RPC: it is shared code). */
@ApiTags('event catalog')
@Controller('event-catalog')
export class EventCatalogController {
  @Get()
  @ApiOperation({ summary: 'Every domain event type: version, category, description, retention, producers, payload schema ref' })
  @ApiOkResponse({ description: 'The catalog, sorted by type' })
  list() {
    return { items: allEventDefinitions().map(catalogEntry).sort((a, b) => a.type.localeCompare(b.type)) };
  }

  @Get(':type')
  @ApiOperation({ summary: 'One event type with the JSON Schema of its payload' })
  get(@Param() params: EventTypeParamDto) {
    const def = findEventDefinition(params.type);
    if (!def) throw DomainError.notFound('event type', params.type);
    return { ...catalogEntry(def), payloadSchema: payloadJsonSchema(def) };
  }
}

import { Injectable } from '@nestjs/common';
import { EventCatalogEntryDetail, EventCatalogList, EventTypeRef } from '@app/shared/api/platform/messaging.dto';
import { getEventType, listEventTypes } from '@app/shared/api/platform/platform.operations';
import { allEventDefinitions, catalogEntry, findEventDefinition, payloadJsonSchema } from '@app/shared/catalog/event-catalog';
import { DomainError } from '@app/shared/errors/domain-error';
import { Handles } from '@app/shared/rpc/handles.decorator';

/** The event catalog, served from the same code that validates events (no RPC: it is shared code). */
@Injectable()
export class EventCatalogHandler {
  @Handles(listEventTypes)
  list(): EventCatalogList {
    return {
      items: allEventDefinitions()
        .map(catalogEntry)
        .sort((a, b) => a.type.localeCompare(b.type)),
    };
  }

  @Handles(getEventType)
  get(ref: EventTypeRef): EventCatalogEntryDetail {
    const def = findEventDefinition(ref.type);
    if (!def) throw DomainError.notFound('event type', ref.type);
    return { ...catalogEntry(def), payloadSchema: payloadJsonSchema(def) };
  }
}

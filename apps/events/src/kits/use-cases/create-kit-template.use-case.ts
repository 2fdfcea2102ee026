import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CreateKitTemplateDto, KitComponentInput } from '@app/shared/api/events/kits.dto';
import type { KitTemplateView } from '@app/shared/api/events/kits.views';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Clock } from '@app/shared/time/clock';
import { Transactions } from '@app/shared/db/transactions';
import { KitTemplateComponent, KitTemplateRepository } from '../kit-template.repository';
import { kitTemplateView } from '../kit.view';

/** Components as stored: ids kept or given, names unique (400 naming the field otherwise). */
export function templateComponents(input: KitComponentInput[]): KitTemplateComponent[] {
  const errors: Record<string, string[]> = {};
  const names = new Set<string>();
  const ids = new Set<string>();
  const components = input.map((c, i) => {
    const name = c.name.trim();
    if (names.has(name.toLowerCase())) errors[`components.${i}.name`] = [`component ${name} is listed twice`];
    if (c.id && ids.has(c.id)) errors[`components.${i}.id`] = [`component id ${c.id} is listed twice`];
    names.add(name.toLowerCase());
    const id = c.id ?? randomUUID();
    ids.add(id);
    return { id, name, quantity: c.quantity };
  });
  if (Object.keys(errors).length > 0) throw DomainError.validation(errors, 'component names and ids must be unique within a template');
  return components;
}

@Injectable()
export class CreateKitTemplateUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly templates: KitTemplateRepository,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: CreateKitTemplateDto): Promise<KitTemplateView> {
    const components = templateComponents(input.components);
    return this.db.run(async (tx) => {
      const id = randomUUID();
      await this.templates.insert(tx, ctx.tenantId, { id, name: input.name, description: input.description ?? null, components }, this.clock.now());
      return kitTemplateView((await this.templates.find(tx, ctx.tenantId, id))!);
    });
  }
}

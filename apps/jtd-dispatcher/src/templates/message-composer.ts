import { Injectable } from '@nestjs/common';
import { isSealed, redactSealed, sealingKey, unseal } from '@app/shared/security/sealed-fields';
import { JtdDispatcherConfig } from '../jtd-dispatcher.config';
import { renderTemplate, RenderedMessage, TemplateRow } from './template-renderer';

/** What a secret reads as wherever a sent message is kept or shown (rendered content, sandbox, in-app inbox). */
export const SECRET_MASK = '••••••';

/** A message for one job, in the two forms the pipeline needs. */
export interface ComposedMessage {
  /** With sealed variables opened: for the provider request only, held in memory for the send. */
  rendered: RenderedMessage;
  /** With sealed variables masked: what is stored (rendered content, sandbox request) and what a user reads (in-app). */
  shown: RenderedMessage;
  /** The opened values, to mask wherever a provider's answer or an error might echo them. */
  secrets: string[];
}

/** A sealed variable that does not open (another key, another tenant, tampered): the job fails, naming the variable only. */
export class UnreadableSecretError extends Error {
  constructor(readonly variable: string) {
    super(`template variable ${variable} is sealed and does not open with this dispatcher's SEALED_FIELDS_KEY`);
  }
}

/**
 * Job variables are stored as they arrived, secrets sealed (JTD_REQUESTED's `variables.otp`). They are
 * opened here, at the send, and only into the provider's copy of the message.
 */
@Injectable()
export class MessageComposer {
  private readonly key: Buffer;

  constructor(config: JtdDispatcherConfig) {
    this.key = sealingKey(config.SEALED_FIELDS_KEY);
  }

  /** Throws MissingVariableError (renderer) or UnreadableSecretError. */
  compose(template: TemplateRow, variables: Record<string, unknown>, tenantId: string): ComposedMessage {
    const secrets: string[] = [];
    const opened: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(variables ?? {})) {
      if (!isSealed(value)) {
        opened[name] = value;
        continue;
      }
      try {
        opened[name] = unseal(value, this.key, tenantId);
      } catch {
        throw new UnreadableSecretError(name);
      }
      secrets.push(opened[name] as string);
    }
    const rendered = renderTemplate(template, opened);
    return { rendered, shown: secrets.length > 0 ? renderTemplate(template, redactSealed(variables, SECRET_MASK)) : rendered, secrets };
  }
}

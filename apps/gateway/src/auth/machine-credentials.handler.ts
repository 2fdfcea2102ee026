import { Injectable } from '@nestjs/common';
import { CreateMachineCredentialDto, MachineCredentialIdParams } from '@app/shared/api/platform/machine-credentials.dto';
import { NoInput } from '@app/shared/api/platform/messaging.dto';
import { createMachineCredential, listMachineCredentials, revokeMachineCredential } from '@app/shared/api/platform/machine-credentials.operations';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { MachineCredentials } from './machine-credentials';

/** The tenant admins' management of machine identities (the gateway owns them: it authenticates with them). */
@Injectable()
export class MachineCredentialsHandler {
  constructor(private readonly credentials: MachineCredentials) {}

  @Handles(createMachineCredential)
  create(input: CreateMachineCredentialDto, ctx: RequestContext) {
    return this.credentials.create(ctx, input);
  }

  @Handles(listMachineCredentials)
  list(_input: NoInput, ctx: RequestContext) {
    return this.credentials.list(ctx);
  }

  @Handles(revokeMachineCredential)
  revoke(input: MachineCredentialIdParams, ctx: RequestContext) {
    return this.credentials.revoke(ctx, input.id);
  }
}

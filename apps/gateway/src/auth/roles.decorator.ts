import { SetMetadata } from '@nestjs/common';
import { Role } from '@app/shared/context/request-context';

export const ROLES_KEY = 'roles';
export const PUBLIC_KEY = 'public';

/** The roles that may call a route; a caller with none of them gets 403. No decorator: any authenticated role. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** A route that authenticates itself (provider webhooks) or needs none (docs): no JWT required. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

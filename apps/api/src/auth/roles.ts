import { SetMetadata } from '@nestjs/common';
import type { Role } from '@sluice/contracts';

export const ROLE_RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };
export const IS_PUBLIC = 'sluice:public';
export const MIN_ROLE = 'sluice:min-role';
export const FLOW_API_KEY = 'sluice:flow-api-key';

/** No token needed (login, health). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
/** The least role allowed; by default reads need `viewer` and writes `editor`. */
export const MinRole = (role: Role) => SetMetadata(MIN_ROLE, role);
/** The route also takes an API key of the flow named by this route parameter (X-API-Key or Bearer slk_…). */
export const AcceptsFlowApiKey = (param: string) => SetMetadata(FLOW_API_KEY, param);

export interface AuthUser {
  id: string;
  username: string;
  role: Role;
}

import type { Role } from '@sluice/contracts';
import { session } from '../api/client.js';

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };
const WHO: Record<Role, string> = { viewer: 'Signed-in users', editor: 'Editors and admins', admin: 'Admins' };

/**
 * Why the signed-in user cannot do `action`, or null when they can: buttons for actions a role cannot take are
 * disabled with this as their reason, so nobody learns it from a refusal after the click.
 */
export function deniedReason(min: Role, action: string, role: Role | undefined = session.user()?.role): string | null {
  if (role && RANK[role] >= RANK[min]) return null;
  return `${WHO[min]} can ${action}; you are signed in as ${role ?? 'nobody'}.`;
}

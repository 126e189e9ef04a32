/**
 * "Roles don't require MFA for activation": every privileged directory role whose policy at '/' lets an
 * eligible principal activate without multifactor authentication. (Entra's defaults require it, so this
 * finds roles whose settings were changed.) The remedy requires MFA in that policy.
 */
import type { SnapshotIndex } from './snapshot-index.ts';
import { roleProperties } from './snapshot-index.ts';
import { incidentId } from './incident-id.ts';
import type { AlertConfig, Incident } from './types.ts';

const TYPE = 'NoMfaOnRoleActivationAlert';

export function evaluateNoMfa(index: SnapshotIndex, _config: AlertConfig): Incident[] {
  return index.snapshot.roles
    .filter((role) => role.isPrivileged && !role.requiresMfaOnActivation)
    .map((role) => ({
      id: incidentId(TYPE, role.id.toLowerCase()),
      alertType: TYPE,
      properties: roleProperties(role),
      remedy: { kind: 'requireMfa', roleDefinitionId: role.id },
    }));
}

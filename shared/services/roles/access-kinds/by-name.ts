/** The API a stored name stands for (an access review remembers which API the reviewed access came by). */
import type { AccessKind, AccessKindName } from './access-kind.ts';
import { AWS_ACCESS } from './aws-access.ts';
import { GROUP_ACCESS } from './group-access.ts';
import { ROLE_ACCESS } from './role-access.ts';

export const ACCESS_KINDS: Readonly<Record<AccessKindName, AccessKind>> = { role: ROLE_ACCESS, group: GROUP_ACCESS, aws: AWS_ACCESS };

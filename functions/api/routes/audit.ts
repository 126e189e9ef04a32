import type { BoundRoute } from '../../../shared/http/api-handler.ts';

export const auditRouteImpls: BoundRoute[] = [];

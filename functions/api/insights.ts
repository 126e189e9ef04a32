/** Lambda: PIM's security alerts (Graph beta roleManagementAlerts) and Discovery and insights (Stint's roleManagementInsights). */
import { createApiHandler, type BoundRoute } from '../../shared/http/api-handler.ts';
import type { Runtime } from '../../shared/runtime.ts';
import { alertRouteImpls } from './routes/alerts.ts';
import { insightRouteImpls } from './routes/insights.ts';

/** The routes this function serves (the tests check they are exactly its contracts' routes). */
export const routes: BoundRoute[] = [...alertRouteImpls, ...insightRouteImpls];

export const createHandler = (runtime?: () => Runtime) => createApiHandler('insights', routes, runtime);

export const handler = createHandler();

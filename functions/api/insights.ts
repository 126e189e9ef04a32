/** Lambda: PIM alerts and Discovery and insights (Graph beta roleManagementAlerts; Stint's roleManagementInsights). */
import { createApiHandler, type BoundRoute } from '../../shared/http/api-handler.ts';
import type { Runtime } from '../../shared/runtime.ts';
import { insightRouteImpls } from './routes/insights.ts';

/** The routes this function serves (the tests check they are exactly its contracts' routes). */
export const routes: BoundRoute[] = [...insightRouteImpls];

export const createHandler = (runtime?: () => Runtime) => createApiHandler('insights', routes, runtime);

export const handler = createHandler();

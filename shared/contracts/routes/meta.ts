import * as z from 'zod';
import { route } from '../../http/route.ts';

export const metaRoutes = {
  health: route({
    lambda: 'meta',
    id: 'health',
    tag: 'meta',
    method: 'GET',
    path: '/health',
    summary: 'Liveness (reads nothing)',
    public: true,
    response: z.object({ status: z.literal('ok') }),
    status: 200,
  }),
  openapi: route({
    lambda: 'meta',
    id: 'openapi',
    tag: 'meta',
    method: 'GET',
    path: '/openapi.json',
    summary: 'This API, described in OpenAPI 3.1',
    public: true,
    status: 200,
  }),
};

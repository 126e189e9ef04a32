/**
 * The email-link landing pages: where a notification's link lands (`{portalUrl}/requests/{id}`, and for
 * approvers `{portalUrl}/approvals/{id}`). Public, because a mail client opens them without a token; they
 * read nothing and change nothing on GET (mail scanners follow links). The page's script signs the user
 * in and calls the API with their token; deciding is a PATCH, never a GET.
 */
import * as z from 'zod';
import { route } from '../../http/route.ts';

const common = { lambda: 'meta' as const, tag: 'portal', method: 'GET' as const, public: true, status: 200 as const };
/** Any text: the page checks the id itself, so that a bad link gets an HTML page rather than JSON. */
const byId = z.strictObject({ id: z.string() });
const HTML = 'text/html';

export const portalRoutes = {
  request: route({
    ...common,
    id: 'portal.request',
    path: '/portal/requests/{id}',
    summary: "A request's page, linked from its emails; it shows the request once you sign in",
    params: byId,
    contentType: HTML,
  }),
  approval: route({
    ...common,
    id: 'portal.approval',
    path: '/portal/approvals/{id}',
    summary: "An approval's page, linked from approvers' emails; approve or deny once you sign in",
    params: byId,
    contentType: HTML,
  }),
  review: route({
    ...common,
    id: 'portal.review',
    path: '/portal/reviews/{definitionId}/{instanceId}',
    summary: "An access review's page, linked from its emails; a reviewer decides their items once signed in",
    params: z.strictObject({ definitionId: z.string(), instanceId: z.string() }),
    contentType: HTML,
  }),
  script: route({ ...common, id: 'portal.script', path: '/portal/app.js', summary: "The landing pages' script", contentType: 'text/javascript' }),
  styles: route({ ...common, id: 'portal.styles', path: '/portal/app.css', summary: "The landing pages' style sheet", contentType: 'text/css' }),
};

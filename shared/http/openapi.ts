/**
 * The OpenAPI 3.1 document, generated from the route contracts' zod schemas: what the API accepts is
 * by construction what it documents.
 */
import * as z from 'zod';
import { graphError } from '../contracts/common.ts';
import { ALL_ROUTES } from '../contracts/routes/index.ts';
import type { RouteSpec } from './route.ts';

type JsonSchema = Record<string, unknown>;

const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

function parameters(spec: RouteSpec): JsonSchema[] {
  const list: JsonSchema[] = [];
  const add = (schema: z.ZodType | undefined, location: 'path' | 'query') => {
    if (!schema) return;
    const json = toSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      list.push({ name, in: location, required: location === 'path' || (json.required ?? []).includes(name), schema: property });
    }
  };
  add(spec.params, 'path');
  add(spec.query, 'query');
  return list;
}

function operation(spec: RouteSpec): JsonSchema {
  const errorResponse = { description: 'Graph error', content: { 'application/json': { schema: { $ref: '#/components/schemas/GraphError' } } } };
  const success =
    spec.status === 204
      ? { description: 'No content' }
      : {
          description: 'Success',
          content: {
            [spec.contentType ?? 'application/json']: {
              schema: spec.response ? toSchema(spec.response, 'output') : spec.contentType ? { type: 'string' } : {},
            },
          },
        };
  return {
    operationId: spec.id,
    summary: spec.summary,
    tags: [spec.tag],
    ...(spec.public ? { security: [] } : {}),
    parameters: parameters(spec),
    ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(spec.body, 'input') } } } } : {}),
    responses: { [spec.status]: success, '4XX': errorResponse, '5XX': errorResponse },
  };
}

export function openApiDocument(serverUrl: string, routes: readonly RouteSpec[] = ALL_ROUTES): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const spec of routes) {
    paths[spec.path] ??= {};
    paths[spec.path]![spec.method.toLowerCase()] = operation(spec);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Stint', version: '0.1.0', description: 'Privileged Identity Management with the Microsoft Graph PIM API shape.' },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { GraphError: toSchema(graphError, 'output') },
    },
  };
}

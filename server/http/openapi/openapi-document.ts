/**
 * The parts of an OpenAPI 3.1 document (https://spec.openapis.org/oas/v3.1.0) this server writes.
 * Schemas are JSON Schema 2020-12, the dialect OpenAPI 3.1 uses, so they stay plain JSON objects.
 */
export type JsonSchema = { readonly [keyword: string]: unknown };

export type Reference = { readonly $ref: string };

export interface Parameter {
  name: string;
  in: 'path' | 'query';
  required?: boolean;
  description?: string;
  schema: JsonSchema;
  style?: 'form' | 'simple';
  explode?: boolean;
}

export interface MediaContent {
  [mediaType: string]: { schema: JsonSchema };
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: MediaContent;
}

export interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  parameters?: (Parameter | Reference)[];
  requestBody?: { required: boolean; content: MediaContent };
  responses: Record<string, ResponseObject | Reference>;
  /** An empty list lifts the document's security requirement for this operation. */
  security?: Record<string, string[]>[];
}

export type HttpMethod = 'get' | 'put' | 'post' | 'delete';

export type PathItem = Partial<Record<HttpMethod, Operation>>;

export interface SecurityScheme {
  type: 'http';
  scheme: string;
  description: string;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  tags: { name: string; description: string }[];
  paths: Record<string, PathItem>;
  components: {
    schemas?: Record<string, JsonSchema>;
    parameters?: Record<string, Parameter>;
    responses?: Record<string, ResponseObject>;
    securitySchemes: Record<string, SecurityScheme>;
  };
  security: Record<string, string[]>[];
}

/** `/users/:username` (Express) as `/users/{username}` (OpenAPI path templating, §4.8.2). */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, '{$1}');
}

export function addOperation(paths: Record<string, PathItem>, path: string, method: HttpMethod, operation: Operation): void {
  paths[path] = { ...paths[path], [method]: operation };
}

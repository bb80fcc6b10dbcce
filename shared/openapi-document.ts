import { ROLES } from "./auth-user.ts";
import { ROLES_EXTENSION, type ServiceApp } from "./route.ts";

/** An OpenAPI 3.1 document as the functions and the gateway serve it. */
export type OpenApiDocument = {
  openapi: "3.1.0";
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, unknown>;
};
export type Operation = Record<string, unknown> & {
  security?: unknown[];
  parameters?: unknown[];
  requestBody?: unknown;
  responses?: Record<string, unknown>;
  [ROLES_EXTENSION]?: string[];
};

const ERROR_SCHEMA = {
  type: "object",
  required: ["detail", "code", "request_id"],
  properties: {
    detail: { type: "string", description: "A readable message in Spanish" },
    code: { type: "string" },
    request_id: { type: "string" },
    errors: {
      type: "array",
      description: "Validation failures (422 only), FastAPI's shape",
      items: {
        type: "object",
        properties: {
          loc: { type: "array", items: { type: ["string", "integer"] } },
          msg: { type: "string" },
          type: { type: "string" },
        },
      },
    },
  },
};

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

/**
 * A function's OpenAPI document, generated from its route definitions. Paths are public paths (as
 * clients call them through the gateway, without the function's base path), and the errors every
 * guarded or validated route can answer are added once here instead of in each definition.
 *
 * @example
 * app.get("/openapi.json", (c) => c.json(functionDocument(app, { name: "users", version, base: "/users" })));
 */
export function functionDocument(
  app: ServiceApp,
  options: { name: string; version: string; base: string },
): OpenApiDocument {
  const generated = app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: { title: `ConectarProfesionales — ${options.name}`, version: options.version },
  }) as unknown as {
    paths?: Record<string, Record<string, Operation>>;
    components?: Record<string, unknown>;
  };
  const paths: OpenApiDocument["paths"] = {};
  for (const [path, operations] of Object.entries(generated.paths ?? {})) {
    const publicPath = path.startsWith(options.base) ? path.slice(options.base.length) || "/" : path;
    paths[publicPath] = {};
    for (const [method, operation] of Object.entries(operations)) {
      paths[publicPath][method] = withCommonErrors({ tags: [options.name], ...operation });
    }
  }
  return {
    openapi: "3.1.0",
    info: { title: `ConectarProfesionales — ${options.name}`, version: options.version },
    paths,
    components: {
      ...generated.components,
      schemas: { ...(generated.components?.schemas as object | undefined), Error: ERROR_SCHEMA },
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
    },
  };
}

function withCommonErrors(operation: Operation): Operation {
  const responses: Record<string, unknown> = { ...operation.responses };
  const roles = operation[ROLES_EXTENSION];
  if (operation.security?.length) {
    responses["401"] ??= errorResponse("Missing, invalid or expired token");
    if (roles && roles.length < ROLES.length) responses["403"] ??= errorResponse("Wrong role");
  }
  if (operation.parameters?.length || operation.requestBody) {
    responses["422"] ??= errorResponse("Validation error (`detail` is a string; the list is in `errors`)");
  }
  const who = roles
    ? (roles.length === ROLES.length ? "Any signed-in user." : `Roles: ${roles.join(", ")}.`)
    : "";
  const description = [operation.description, who].filter(Boolean).join(" ");
  return { ...operation, ...(description ? { description } : {}), responses };
}

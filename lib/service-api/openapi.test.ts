import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { serviceErrors } from "./errors";
import { buildOpenApiDocument } from "./openapi";

type Responses = Record<string, { content?: Record<string, { schema: { properties?: Record<string, { enum?: string[] }> } }> }>;
type Operation = { security?: unknown[]; responses: Responses; requestBody?: { content: Record<string, { schema: { required?: string[]; properties: Record<string, { maximum?: number }> } }> } };

const document = buildOpenApiDocument();
const operations = () =>
  Object.entries(document.paths).flatMap(([route, methods]) => Object.entries(methods as Record<string, Operation>).map(([method, operation]) => ({ route, method, operation })));

/** Route handlers under app/api, as URL paths ("/api/usage/batch"). */
function apiRoutes(directory = path.join(process.cwd(), "app/api")): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return apiRoutes(full);
    return entry.name === "route.ts" ? ["/" + path.relative(path.join(process.cwd(), "app"), directory).split(path.sep).join("/")] : [];
  });
}

// Called by people's browsers (the admin console included) or by payment and OAuth providers, not by the data
// API service or schedulers.
const notServiceFacing = [/^\/api\/auth\//, /^\/api\/admin\//, /^\/api\/payments\//, /^\/api\/webhooks\//, /^\/api\/openapi\.json$/];

describe("the OpenAPI document", () => {
  it("documents every route the data API service, load balancers and schedulers call, and SPEC section 8's", () => {
    const documented = Object.keys(document.paths);
    const serviceFacing = apiRoutes().filter((route) => !notServiceFacing.some((pattern) => pattern.test(route)));
    expect(serviceFacing).toEqual(expect.arrayContaining(["/api/usage", "/api/usage/batch", "/api/keys/verify", "/api/health"]));
    for (const route of [...serviceFacing, "/api/usage/export", "/api/cron/forecast", "/api/cron/outbox"]) expect(documented).toContain(route);
  });

  it("names every SPEC section 2 error code with its status, in the catalogue and on a route", () => {
    const catalogue = document.components.schemas.ErrorCode.oneOf.map((entry) => [entry.const, entry["x-status"]]);
    expect(Object.fromEntries(catalogue)).toEqual(serviceErrors);
    const answered = new Map<string, Set<string>>();
    for (const { operation } of operations()) {
      for (const [status, response] of Object.entries(operation.responses)) {
        for (const code of response.content?.["application/json"]?.schema.properties?.error?.enum ?? []) {
          answered.set(code, (answered.get(code) ?? new Set()).add(status));
        }
      }
    }
    for (const [code, status] of Object.entries(serviceErrors)) expect(answered.get(code), code).toEqual(new Set([String(status)]));
  });

  it("lists the usage route's own errors and its request schema from zod", () => {
    const usage = document.paths["/api/usage"].post as unknown as Operation;
    expect(Object.keys(usage.responses).sort()).toEqual(["200", "400", "401", "402", "403", "409", "413", "429", "500", "503"]);
    expect(usage.responses["403"]!.content!["application/json"]!.schema.properties!.error!.enum).toEqual(["invalid_api_key", "revoked_api_key", "expired_api_key"]);
    const body = usage.requestBody!.content["application/json"]!.schema;
    expect(body.required).toEqual(["apiKey", "requestId", "credits"]);
    expect(body.properties.credits!.maximum).toBe(1_000_000);
  });

  it("secures each route with the right scheme", () => {
    const security = Object.fromEntries(operations().map(({ route, operation }) => [route, operation.security ?? document.security]));
    expect(security["/api/usage"]).toEqual([{ serviceToken: [] }]);
    expect(security["/api/health"]).toEqual([]);
    expect(security["/api/cron/forecast"]).toEqual([{ cronSecret: [] }]);
    expect(security["/api/usage/export"]).toEqual([{ sessionCookie: [] }]);
  });

  it("is plain JSON", () => {
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
  });
});

import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./openapi";

describe("the OpenAPI document", () => {
  it("describes the three service routes from the zod schemas", () => {
    const document = buildOpenApiDocument();
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toEqual(["/api/usage", "/api/usage/batch", "/api/keys/verify"]);
    const usage = document.paths["/api/usage"].post.requestBody.content["application/json"].schema as { required: string[]; properties: Record<string, { maximum?: number }> };
    expect(usage.required).toEqual(["apiKey", "requestId", "credits"]);
    expect(usage.properties.credits!.maximum).toBe(1_000_000);
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
  });
});

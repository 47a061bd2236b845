/**
 * Copyable requests for the three service routes. They carry the viewer's organization id where one appears
 * and only placeholders for secrets: a real API key or service token must never be rendered into a page.
 */

export type ExampleContext = { baseUrl: string; organizationId: string; keyPlaceholder: string };
export type Example = { id: string; title: string; route: string; curl: string; typescript: string; response: string };

const tokenVariable = "PORTAL_SERVICE_TOKEN";

function curl(baseUrl: string, route: string, body: unknown) {
  return [
    `curl -sS -X POST "${baseUrl}${route}" \\`,
    `  -H "Authorization: Bearer $${tokenVariable}" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '${JSON.stringify(body)}'`,
  ].join("\n");
}

function typescript(baseUrl: string, route: string, bodyCode: string, handling: string) {
  return [
    `const response = await fetch("${baseUrl}${route}", {`,
    `  method: "POST",`,
    `  headers: {`,
    `    Authorization: \`Bearer \${process.env.${tokenVariable}}\`,`,
    `    "Content-Type": "application/json",`,
    `  },`,
    `  body: JSON.stringify(${bodyCode}),`,
    `});`,
    `const result = await response.json();`,
    handling,
  ].join("\n");
}

export function serviceExamples({ baseUrl, organizationId, keyPlaceholder }: ExampleContext): Example[] {
  const usageEvent = { apiKey: keyPlaceholder, requestId: "req-2026-11-28-0001", credits: 3, endpoint: "/v1/query", metadata: { bytesScanned: 1048576 } };
  return [
    {
      id: "example-usage",
      title: "Report one request",
      route: "/api/usage",
      curl: curl(baseUrl, "/api/usage", usageEvent),
      typescript: typescript(
        baseUrl,
        "/api/usage",
        `{\n    apiKey, // the key your caller sent, e.g. "${keyPlaceholder}"\n    requestId: crypto.randomUUID(), // reuse it when you retry\n    credits: 3,\n    endpoint: "/v1/query",\n  }`,
        [
          `if (response.ok) console.log("balance", result.remainingCredits, result.duplicate ? "(already recorded)" : "");`,
          `else if (response.status === 503 || response.status === 429) { /* nothing was charged: retry with the same requestId */ }`,
          `else console.error(result.error, result.message); // e.g. insufficient_credits`,
        ].join("\n"),
      ),
      response: JSON.stringify({ success: true, remainingCredits: 997, usageDateTime: "2026-11-28T10:00:00.123Z", usageId: "…", duplicate: false }, null, 2),
    },
    {
      id: "example-batch",
      title: "Report a batch",
      route: "/api/usage/batch",
      curl: curl(baseUrl, "/api/usage/batch", { events: [usageEvent, { ...usageEvent, requestId: "req-2026-11-28-0002", credits: 1 }] }),
      typescript: typescript(
        baseUrl,
        "/api/usage/batch",
        `{ events } // up to 1,000 events shaped like POST /api/usage's body`,
        [
          `for (const item of result.results) {`,
          `  if (!item.success) console.error("event", item.index, item.error); // each event fails alone`,
          `}`,
        ].join("\n"),
      ),
      response: JSON.stringify({ results: [{ index: 0, success: true, usageId: "…", remainingCredits: 994, duplicate: false }, { index: 1, success: true, usageId: "…", remainingCredits: 993, duplicate: false }] }, null, 2),
    },
    {
      id: "example-verify",
      title: "Verify a key",
      route: "/api/keys/verify",
      curl: curl(baseUrl, "/api/keys/verify", { apiKey: keyPlaceholder }),
      typescript: typescript(
        baseUrl,
        "/api/keys/verify",
        `{ apiKey }`,
        [
          `if (!result.valid) throw new Error(\`key refused: \${result.code}\`); // NOT_FOUND, REVOKED, EXPIRED, …`,
          `console.log(result.organizationId, result.scopes, result.rateLimit?.remaining);`,
        ].join("\n"),
      ),
      response: JSON.stringify({ valid: true, keyId: "…", organizationId, remainingCredits: 997, expiresAt: null, scopes: ["query"] }, null, 2),
    },
  ];
}

import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { SchemaTable } from "./schema-table";
import type { JsonSchema } from "./schema-rows";

type Content = Record<string, { schema: JsonSchema }>;
type Parameter = { name: string; in: string; required: boolean; description: string; schema: JsonSchema };
export type Operation = {
  summary: string;
  description?: string;
  security?: Array<Record<string, unknown>>;
  parameters?: Parameter[];
  requestBody?: { content: Content };
  responses: Record<string, { description: string; content?: Content; headers?: Record<string, unknown> }>;
};

const securityLabels: Record<string, string> = {
  serviceToken: "Authorization: Bearer <service token>",
  cronSecret: "Authorization: Bearer <CRON_SECRET>",
  sessionCookie: "A signed-in portal session",
};

export function operationAnchor(method: string, route: string) {
  return `${method}-${route}`.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
}

function securityText(security: Array<Record<string, unknown>>) {
  if (security.length === 0) return "None";
  return security.flatMap((entry) => Object.keys(entry).map((name) => securityLabels[name] ?? name)).join(" or ");
}

function contentOf(content: Content | undefined) {
  const [mediaType, entry] = Object.entries(content ?? {})[0] ?? [];
  return mediaType && entry ? { mediaType, schema: entry.schema } : null;
}

/** One route of the OpenAPI document: who may call it, what it takes and everything it can answer. */
export function OperationSection({ method, route, operation, defaultSecurity }: { method: string; route: string; operation: Operation; defaultSecurity: Array<Record<string, unknown>> }) {
  const anchor = operationAnchor(method, route);
  const body = contentOf(operation.requestBody?.content);
  const parameters: JsonSchema = {
    type: "object",
    properties: Object.fromEntries((operation.parameters ?? []).map((parameter) => [parameter.name, { ...parameter.schema, description: parameter.description }])),
    required: (operation.parameters ?? []).filter((parameter) => parameter.required).map((parameter) => parameter.name),
  };
  return (
    <Card id={anchor} className="scroll-mt-20">
      <CardHeader className="gap-2">
        <CardTitle className="flex flex-wrap items-center gap-2 text-base">
          <Badge variant={method === "get" ? "secondary" : "default"} className="font-mono">{method.toUpperCase()}</Badge>
          <code className="break-all">{route}</code>
        </CardTitle>
        <CardDescription>{operation.summary}</CardDescription>
        {operation.description && <p className="text-sm break-words">{operation.description}</p>}
        <p className="text-xs text-muted-foreground">Auth: {securityText(operation.security ?? defaultSecurity)}</p>
      </CardHeader>
      <CardContent className="space-y-5">
        {operation.parameters && (
          <section className="space-y-2" aria-label={`${method.toUpperCase()} ${route} query parameters`}>
            <h4 className="text-sm font-semibold">Query parameters</h4>
            <SchemaTable schema={parameters} caption={`${method.toUpperCase()} ${route} query parameters`} />
          </section>
        )}
        {body && (
          <section className="space-y-2">
            <h4 className="text-sm font-semibold">Request body <span className="font-normal text-muted-foreground">({body.mediaType})</span></h4>
            <SchemaTable schema={body.schema} caption={`${method.toUpperCase()} ${route} request body`} />
          </section>
        )}
        <section className="space-y-2">
          <h4 className="text-sm font-semibold">Responses</h4>
          <ul className="space-y-2">
            {Object.entries(operation.responses).map(([status, response]) => {
              const answer = contentOf(response.content);
              return (
                <li key={status}>
                  <details className="group rounded-md border" open={status === "200"}>
                    <summary className="flex cursor-pointer flex-wrap items-center gap-2 rounded-md px-3 py-2 text-sm outline-none focus-visible:ring-2 focus-visible:ring-ring">
                      <Badge variant={status.startsWith("2") ? "success" : "warning"} className="font-mono">{status}</Badge>
                      <span className="break-words">{response.description}</span>
                    </summary>
                    <div className="space-y-2 border-t p-3">
                      {answer ? (
                        <SchemaTable schema={answer.schema} caption={`${method.toUpperCase()} ${route} ${status} response (${answer.mediaType})`} />
                      ) : (
                        <p className="text-sm text-muted-foreground">No body.</p>
                      )}
                      {response.headers && (
                        <p className="text-xs text-muted-foreground">Headers: {Object.keys(response.headers).join(", ")}</p>
                      )}
                    </div>
                  </details>
                </li>
              );
            })}
          </ul>
        </section>
      </CardContent>
    </Card>
  );
}

import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { appUrl } from "@/lib/app-url";
import { getViewer } from "@/lib/auth/viewer";
import { env } from "@/lib/env";
import { buildOpenApiDocument } from "@/lib/service-api/openapi";
import { CodeBlock } from "./_components/code-block";
import { ErrorCodes } from "./_components/error-codes";
import { serviceExamples } from "./_components/examples";
import { OperationSection, operationAnchor, type Operation } from "./_components/operation-section";
import { RedisLayout } from "./_components/redis-layout";

export const metadata: Metadata = { title: "API docs" };

const sections = [
  { id: "calling", label: "Calling the portal" },
  { id: "examples", label: "Examples" },
  { id: "routes", label: "Routes" },
  { id: "errors", label: "Error codes" },
  { id: "redis", label: "Redis layout" },
];

export default async function DocsPage() {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in?callbackUrl=/docs");
  const document = buildOpenApiDocument();
  const baseUrl = new URL(appUrl("/")).origin;
  const { REDIS_PREFIX: redisPrefix, API_KEY_PREFIX: keyPrefix } = env();
  const examples = serviceExamples({ baseUrl, organizationId: viewer.organizationId, keyPlaceholder: `${keyPrefix}_YOUR_KEY` });
  const operations = Object.entries(document.paths).flatMap(([route, methods]) =>
    Object.entries(methods as Record<string, Operation>).map(([method, operation]) => ({ route, method, operation })),
  );
  return (
    <div className="space-y-8">
      <header className="space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight">API docs</h1>
        <p className="max-w-prose text-sm text-muted-foreground">
          How your data API service reports usage and checks keys. Everything below is generated from the{" "}
          <a href="/api/openapi.json" className="font-medium text-primary underline underline-offset-4">
            OpenAPI document
          </a>{" "}
          the portal validates requests with.
        </p>
        <p className="text-sm">
          Your organization id: <code data-testid="organization-id" className="rounded bg-muted px-1.5 py-0.5 break-all">{viewer.organizationId}</code>
        </p>
      </header>
      <nav aria-label="On this page" className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        {sections.map((section) => (
          <a key={section.id} href={`#${section.id}`} className="rounded text-primary underline-offset-4 outline-none hover:underline focus-visible:ring-2 focus-visible:ring-ring">
            {section.label}
          </a>
        ))}
      </nav>

      <section id="calling" aria-labelledby="calling-title" className="scroll-mt-20 space-y-3">
        <h2 id="calling-title" className="text-xl font-semibold">Calling the portal</h2>
        <ul className="max-w-prose list-disc space-y-1 pl-5 text-sm">
          <li>
            Base URL: <code className="break-all">{baseUrl}</code>. Bodies are JSON; so are answers.
          </li>
          <li>
            Every service request carries <code>Authorization: Bearer $PORTAL_SERVICE_TOKEN</code>, one of the tokens in the
            portal&apos;s <code>USAGE_SERVICE_TOKENS</code>. Keep it on your servers, never in a browser.
          </li>
          <li>
            The API keys your customers send you look like <code>{keyPrefix}_…</code>; pass them on unchanged. The examples use the
            placeholder <code>{keyPrefix}_YOUR_KEY</code>.
          </li>
          <li>
            Send a unique <code>requestId</code> per billable request and reuse it when you retry: a repeat is answered with the
            first answer and <code>duplicate: true</code>, and nothing is charged twice. A <code>429</code> or <code>503</code> charged nothing: retry.
          </li>
        </ul>
      </section>

      <section id="examples" aria-labelledby="examples-title" className="scroll-mt-20 space-y-4">
        <h2 id="examples-title" className="text-xl font-semibold">Examples</h2>
        {examples.map((example) => (
          <Card key={example.id} id={example.id}>
            <CardHeader>
              <CardTitle>{example.title}</CardTitle>
              <CardDescription>
                POST <code>{example.route}</code>
              </CardDescription>
            </CardHeader>
            <CardContent className="grid grid-cols-[minmax(0,1fr)] gap-3 lg:grid-cols-[repeat(2,minmax(0,1fr))]">
              <CodeBlock title={`${example.title}: curl`} language="shell" code={example.curl} />
              <CodeBlock title={`${example.title}: TypeScript`} language="typescript" code={example.typescript} />
              <div className="lg:col-span-2">
                <CodeBlock title={`${example.title}: answer`} language="json" code={example.response} />
              </div>
            </CardContent>
          </Card>
        ))}
      </section>

      <section id="routes" aria-labelledby="routes-title" className="scroll-mt-20 space-y-4">
        <h2 id="routes-title" className="text-xl font-semibold">Routes</h2>
        <ul className="flex flex-wrap gap-2 text-sm">
          {operations.map(({ route, method }) => (
            <li key={`${method} ${route}`}>
              <a href={`#${operationAnchor(method, route)}`} className="rounded font-mono text-primary underline-offset-4 outline-none hover:underline focus-visible:ring-2 focus-visible:ring-ring">
                {method.toUpperCase()} {route}
              </a>
            </li>
          ))}
        </ul>
        {operations.map(({ route, method, operation }) => (
          <OperationSection key={`${method} ${route}`} method={method} route={route} operation={operation} defaultSecurity={document.security} />
        ))}
      </section>

      <section id="errors" aria-labelledby="errors-title" className="scroll-mt-20 space-y-3">
        <h2 id="errors-title" className="text-xl font-semibold">Error codes</h2>
        <p className="max-w-prose text-sm">
          Every error body is <code>{`{ "success": false, "error": "<code>", "message": "…" }`}</code>. Branch on <code>error</code>, not on the message.
        </p>
        <ErrorCodes codes={document.components.schemas.ErrorCode.oneOf} />
      </section>

      <section id="redis" aria-labelledby="redis-title" className="scroll-mt-20 space-y-3">
        <h2 id="redis-title" className="text-xl font-semibold">Redis layout</h2>
        <RedisLayout prefix={redisPrefix} organizationId={viewer.organizationId} />
      </section>
    </div>
  );
}

import type { IncomingMessage, ServerResponse } from "node:http";
import { OAuth2Server } from "oauth2-mock-server";

/** Who the fake provider says signed in. Tests pick one per sign-in with `login_hint` (see `identityHint`). */
export type FakeIdentity = { sub: string; email: string; name: string; email_verified: boolean };

export const defaultIdentity: FakeIdentity = { sub: "fake-user", email: "fake-user@example.com", name: "Fake User", email_verified: true };

export function identityHint(identity: FakeIdentity) {
  return Buffer.from(JSON.stringify(identity)).toString("base64url");
}

function parseHint(hint: unknown): FakeIdentity {
  if (typeof hint !== "string" || !hint) return defaultIdentity;
  return { ...defaultIdentity, ...(JSON.parse(Buffer.from(hint, "base64url").toString("utf8")) as Partial<FakeIdentity>) };
}

function decodeBearer(request: IncomingMessage): FakeIdentity {
  const token = request.headers.authorization?.replace(/^Bearer /, "") ?? "";
  const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8") || "{}") as Partial<FakeIdentity>;
  return { ...defaultIdentity, ...payload };
}

function sendJson(response: ServerResponse, value: unknown) {
  response.writeHead(200, { "content-type": "application/json" });
  response.end(JSON.stringify(value));
}

/**
 * Carries the identity chosen at /authorize (login_hint) through the code into the signed tokens, so
 * parallel tests can sign in as different people through one server.
 */
function wireIdentities(server: OAuth2Server) {
  const byCode = new Map<string, FakeIdentity>();
  server.service.on("beforeAuthorizeRedirect", (redirect: { url: URL }, request: IncomingMessage) => {
    const hint = new URL(request.url ?? "/", "http://fake").searchParams.get("login_hint");
    const code = redirect.url.searchParams.get("code");
    if (code) byCode.set(code, parseHint(hint));
  });
  server.service.on("beforeTokenSigning", (token: { payload: Record<string, unknown> }, request: IncomingMessage & { body?: Record<string, string> }) => {
    const identity = byCode.get(request.body?.code ?? "") ?? defaultIdentity;
    Object.assign(token.payload, identity);
  });
  server.service.on("beforeUserinfo", (response: { body: Record<string, unknown> }, request: IncomingMessage) => {
    Object.assign(response.body, decodeBearer(request));
  });
}

/** An OpenID Connect provider for Google, Microsoft Entra ID and LinkedIn (each takes it as `issuer`). */
export async function startOidcProvider(port = 0) {
  const server = new OAuth2Server();
  await server.issuer.keys.generate("RS256");
  wireIdentities(server);
  await server.start(port, "localhost");
  return { url: server.issuer.url!, stop: () => server.stop() };
}

/**
 * A GitHub-shaped server (GitHub Enterprise paths): /login/oauth/authorize, /login/oauth/access_token,
 * /api/v3/user and /api/v3/user/emails. GitHub returns no id_token, so neither does this.
 */
export async function startGitHubProvider(port = 0) {
  const server = new OAuth2Server(undefined, undefined, {
    endpoints: { authorize: "/login/oauth/authorize", token: "/login/oauth/access_token" },
  });
  await server.issuer.keys.generate("RS256");
  wireIdentities(server);
  server.service.on("beforeResponse", (response: { body: Record<string, unknown> }) => {
    delete response.body.id_token;
    delete response.body.refresh_token;
  });
  server.service.addRoute("GET", "/api/v3/user", (request, response) => {
    const identity = decodeBearer(request);
    // GitHub ids are numbers; derive a stable one from the subject.
    const id = [...identity.sub].reduce((hash, char) => (hash * 31 + char.charCodeAt(0)) >>> 0, 7);
    sendJson(response, { id, login: identity.sub, name: identity.name, avatar_url: null });
  });
  server.service.addRoute("GET", "/api/v3/user/emails", (request, response) => {
    const identity = decodeBearer(request);
    sendJson(response, [{ email: identity.email, primary: true, verified: identity.email_verified, visibility: "private" }]);
  });
  await server.start(port, "localhost");
  return { url: server.issuer.url!, stop: () => server.stop() };
}

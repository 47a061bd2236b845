import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type SentMail = { to: string; subject: string; text: string; html: string; from: string };

type SendGridBody = {
  personalizations: Array<{ to: Array<{ email: string }> }>;
  from: { email: string };
  subject: string;
  content: Array<{ type: string; value: string }>;
};

export type SendGridFake = {
  url: string;
  messages: SentMail[];
  /** While true, /v3/mail/send answers 503 like an outage. */
  setFailing: (failing: boolean) => void;
  close: () => Promise<void>;
};

async function readBody(request: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Plays SendGrid's v3 mail-send API (the part @sendgrid/mail uses), with an outage switch. Also answers
 * POST /__failing {"failing": bool} and GET /__messages so another process (the e2e stack) can drive it.
 */
export async function startSendGridFake(apiKey: string, port = 0): Promise<SendGridFake> {
  const messages: SentMail[] = [];
  let failing = false;
  const server: Server = createServer(async (request, response) => {
    const body = await readBody(request);
    const json = (status: number, value: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(value));
    };
    if (request.method === "POST" && request.url === "/__failing") {
      failing = Boolean((JSON.parse(body) as { failing: boolean }).failing);
      return json(200, { failing });
    }
    if (request.method === "GET" && request.url === "/__messages") return json(200, messages);
    if (request.method !== "POST" || request.url !== "/v3/mail/send") return json(404, { errors: [{ message: "not found" }] });
    if (request.headers.authorization !== `Bearer ${apiKey}`) return json(401, { errors: [{ message: "The provided authorization grant is invalid, expired, or revoked" }] });
    if (failing) return json(503, { errors: [{ message: "Service Unavailable" }] });
    const mail = JSON.parse(body) as SendGridBody;
    const part = (type: string) => mail.content.find((entry) => entry.type === type)?.value ?? "";
    for (const personalization of mail.personalizations) {
      for (const recipient of personalization.to) {
        messages.push({ to: recipient.email, subject: mail.subject, text: part("text/plain"), html: part("text/html"), from: mail.from.email });
      }
    }
    response.writeHead(202);
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    messages,
    setFailing: (value) => {
      failing = value;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

import { MailService } from "@sendgrid/mail";
import { env } from "@/lib/env";
import type { OutboxEmail } from "@/db/schema";

export type EmailSender = (message: Pick<OutboxEmail, "toAddress" | "subject" | "html" | "text">) => Promise<void>;

// MailService keeps its HTTP client on `client`; the typings omit it, and the base URL is the only thing we set.
type WithClient = { client: { setDefaultRequest: (key: "baseUrl", value: string) => void } };

let cached: { key: string; service: MailService } | undefined;

function mailService(apiKey: string) {
  if (cached?.key === apiKey) return cached.service;
  const service = new MailService();
  service.setApiKey(apiKey);
  service.setTimeout(10_000);
  const base = env().SENDGRID_API_BASE;
  // A regional endpoint in production, or the test stack's local server that plays SendGrid's API.
  if (base) (service as unknown as WithClient).client.setDefaultRequest("baseUrl", base);
  cached = { key: apiKey, service };
  return service;
}

/** The configured sender, or null when SendGrid is not set up (mail then waits in the outbox). */
export function configuredSender(): EmailSender | null {
  const apiKey = env().SENDGRID_API_KEY;
  if (!apiKey) return null;
  return async (message) => {
    await mailService(apiKey).send({
      to: message.toAddress,
      from: env().EMAIL_FROM,
      subject: message.subject,
      html: message.html,
      text: message.text,
    });
  };
}

export function describeSendError(error: unknown): string {
  const response = (error as { response?: { body?: unknown } }).response;
  const detail = response?.body ? ` ${JSON.stringify(response.body).slice(0, 500)}` : "";
  return `${error instanceof Error ? error.message : String(error)}${detail}`;
}

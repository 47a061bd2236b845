import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { db } from "@/db/client";
import { emailOutbox, users } from "@/db/schema";
import { registerUser } from "@/lib/auth/registration";
import { deliverDueEmails } from "@/lib/email";
import { startSendGridFake, type SendGridFake } from "../fakes/sendgrid";

let sendGrid: SendGridFake;
const apiKey = "SG.integration-key";

beforeAll(async () => {
  sendGrid = await startSendGridFake(apiKey);
  process.env.SENDGRID_API_KEY = apiKey;
  process.env.SENDGRID_API_BASE = sendGrid.url;
});

afterAll(async () => {
  await sendGrid.close();
});

const request = { ipAddress: "203.0.113.9", userAgent: "vitest" };

async function outboxRowFor(email: string) {
  const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, email));
  return row!;
}

test("with SendGrid failing, mail stays queued with backoff and is sent once it recovers", async () => {
  const email = `outbox-${crypto.randomUUID()}@example.com`;
  sendGrid.setFailing(true);
  const registered = await registerUser({ name: "Outbox", email, password: "a long enough passphrase" }, request);
  expect(registered.ok).toBe(true);

  // Registration already tried to send it right after commit (in the background); wait for that attempt.
  await expect.poll(async () => (await outboxRowFor(email)).attempts, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
  const queued = await outboxRowFor(email);
  expect(queued.status).toBe("pending");
  expect(queued.attempts).toBeGreaterThanOrEqual(1);
  expect(queued.lastError).toMatch(/Service Unavailable|503/);
  expect(queued.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
  expect(sendGrid.messages.some((message) => message.to === email)).toBe(false);

  sendGrid.setFailing(false);
  // Not due yet: backoff holds it back.
  await deliverDueEmails();
  expect((await outboxRowFor(email)).status).toBe("pending");

  await db.update(emailOutbox).set({ nextAttemptAt: sql`now()` }).where(eq(emailOutbox.toAddress, email));
  await deliverDueEmails();
  const sent = await outboxRowFor(email);
  expect(sent.status).toBe("sent");
  const delivered = sendGrid.messages.filter((message) => message.to === email);
  expect(delivered).toHaveLength(1);
  expect(delivered[0]!.subject).toBe("Verify your email address");
  expect(delivered[0]!.text).toMatch(/\/verify-email\?token=/);
  expect(delivered[0]!.html).toContain("<a href=");
});

test("registration writes organization, client_admin user and outbox row together; a duplicate email is refused", async () => {
  const email = `dup-${crypto.randomUUID()}@example.com`;
  const first = await registerUser({ name: "Dup", email, password: "a long enough passphrase" }, request);
  expect(first.ok).toBe(true);
  const [user] = await db.select().from(users).where(eq(users.email, email));
  expect(user).toMatchObject({ role: "client_admin", emailVerified: null });
  expect(user!.organizationId).toBeTruthy();
  expect(user!.passwordHash).toMatch(/^\$2[aby]\$12\$/);

  const second = await registerUser({ name: "Dup again", email, password: "another long passphrase" }, request);
  expect(second).toEqual({ ok: false, reason: "email_taken" });
  expect(await db.select({ id: users.id }).from(users).where(eq(users.email, email))).toHaveLength(1);
});

import { randomUUID } from "node:crypto";
import { and, eq, inArray, like, lte, notLike, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { db } from "@/db/client";
import { auditLog, emailOutbox, organizations, users, type OutboxEmail } from "@/db/schema";
import { verifyPassword } from "@/lib/auth/password";
import { registerUser } from "@/lib/auth/registration";
import { accountLockedTemplate, backoffSeconds, deliverDueEmails, maxAttempts, passwordResetTemplate, signUpAttemptTemplate, verifyEmailTemplate, type EmailSender } from "@/lib/email";
import { env } from "@/lib/env";
import { lowCreditTemplate, zeroCreditTemplate } from "@/lib/alerts/templates";
import { receiptTemplate } from "@/lib/payments/receipt-email";
import { startSendGridFake, type SendGridFake } from "../fakes/sendgrid";
import { holdTransaction, onServerDatabase } from "../helpers/row-lock";

let sendGrid: SendGridFake;
const apiKey = "SG.integration-key";
// Every address of this file is at this domain, so its rows are told apart from other tests' in the shared outbox.
const domain = `outbox-${randomUUID().slice(0, 8)}.test`;
const address = (label: string) => `${label}-${randomUUID().slice(0, 8)}@${domain}`;

beforeAll(async () => {
  sendGrid = await startSendGridFake(apiKey);
  process.env.SENDGRID_API_KEY = apiKey;
  process.env.SENDGRID_API_BASE = sendGrid.url;
});

afterAll(async () => {
  await sendGrid.close();
});

// Other test files queue mail in the same database and nothing sends it there. A delivery run claims the
// oldest due rows first, so postpone theirs by a day: this file's runs then claim its own rows only.
beforeEach(async () => {
  await db
    .update(emailOutbox)
    .set({ nextAttemptAt: sql`now() + interval '1 day'` })
    .where(and(eq(emailOutbox.status, "pending"), lte(emailOutbox.nextAttemptAt, sql`now()`), notLike(emailOutbox.toAddress, `%@${domain}`)));
});

const request = { ipAddress: "203.0.113.9", userAgent: "vitest" };

async function outboxRowFor(email: string) {
  const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, email));
  return row!;
}

// Due since 2000: older than any row another test queues, so a run with `limit: n` claims exactly n of these.
let queued = 0;
const longAgo = () => new Date(Date.UTC(2000, 0, 1) + queued++ * 1000);

async function queueOwnEmails(count: number) {
  return db
    .insert(emailOutbox)
    .values(Array.from({ length: count }, () => ({ toAddress: address("queued"), template: "test", subject: "Test", html: "<p>Test</p>", text: "Test", nextAttemptAt: longAgo() })))
    .returning();
}

async function makeDue(ids: string[]) {
  await db.update(emailOutbox).set({ nextAttemptAt: longAgo() }).where(inArray(emailOutbox.id, ids));
}

/** A sender that records what it is handed; it fails every message when told to, or waits before answering. */
function recordingSender(options: { fail?: boolean; delayMs?: number; onSend?: () => Promise<void> } = {}) {
  const sent: string[] = [];
  const sender: EmailSender = async (message) => {
    sent.push(message.toAddress);
    await options.onSend?.();
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    if (options.fail) throw new Error("recording sender refused the message");
  };
  return { sender, sent };
}

test("with SendGrid failing, mail stays queued with backoff and is sent once it recovers", async () => {
  const email = address("outbox");
  sendGrid.setFailing(true);
  const registered = await registerUser({ name: "Outbox", email, password: "a long enough passphrase" }, request);
  expect(registered.ok).toBe(true);

  // Registration already tried to send it right after commit (in the background); wait for that attempt.
  await expect.poll(async () => (await outboxRowFor(email)).attempts, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
  const queuedRow = await outboxRowFor(email);
  expect(queuedRow.status).toBe("pending");
  expect(queuedRow.attempts).toBeGreaterThanOrEqual(1);
  expect(queuedRow.lastError).toMatch(/Service Unavailable|503/);
  expect(queuedRow.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
  expect(sendGrid.messages.some((message) => message.to === email)).toBe(false);

  sendGrid.setFailing(false);
  // Not due yet: backoff holds it back.
  await deliverDueEmails();
  expect(await outboxRowFor(email)).toMatchObject({ status: "pending", attempts: queuedRow.attempts });

  await makeDue([queuedRow.id]);
  await deliverDueEmails({ limit: 1 });
  const sent = await outboxRowFor(email);
  expect(sent.status).toBe("sent");
  const delivered = sendGrid.messages.filter((message) => message.to === email);
  expect(delivered).toHaveLength(1);
  expect(delivered[0]!.subject).toBe("Verify your email address");
  expect(delivered[0]!.text).toMatch(/\/verify-email\?token=/);
  expect(delivered[0]!.html).toContain("<a href=");
});

test("registration writes organization, client_admin user, audit row and outbox row together; a duplicate email is refused", async () => {
  const email = address("dup");
  const name = `Dup ${randomUUID().slice(0, 8)}`;
  const first = await registerUser({ name, email, password: "a long enough passphrase" }, request);
  expect(first.ok).toBe(true);
  const [user] = await db.select().from(users).where(eq(users.email, email));
  expect(user).toMatchObject({ role: "client_admin", emailVerified: null });
  const cost = String(env().BCRYPT_COST).padStart(2, "0");
  expect(user!.passwordHash).toMatch(new RegExp(`^\\$2[aby]\\$${cost}\\$`));
  expect(await verifyPassword("a long enough passphrase", user!.passwordHash!)).toBe(true);
  const [organization] = await db.select().from(organizations).where(eq(organizations.id, user!.organizationId!));
  expect(organization!.name).toBe(`${name}'s organization`);
  const audit = await db.select().from(auditLog).where(and(eq(auditLog.action, "user.registered"), eq(auditLog.targetId, user!.id)));
  expect(audit).toMatchObject([{ organizationId: organization!.id, actorUserId: user!.id }]);
  const mail = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, email));
  expect(mail).toMatchObject([{ template: "verify-email", subject: "Verify your email address" }]);
  // Wait for the delivery started after commit, so that it is not still running when the next test begins.
  await expect.poll(async () => (await outboxRowFor(email)).status, { timeout: 10_000 }).toBe("sent");

  const second = await registerUser({ name: "Dup again", email, password: "another long passphrase" }, request);
  expect(second).toEqual({ ok: false, reason: "email_taken" });
  expect(await db.select({ id: users.id }).from(users).where(eq(users.email, email))).toHaveLength(1);
  expect(await db.select().from(organizations).where(eq(organizations.name, "Dup again's organization"))).toEqual([]);
  // Whatever the refusal queued for the owner is delivered before the next test, for the same reason.
  await expect.poll(async () => (await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, email))).every((row) => row.status === "sent"), { timeout: 10_000 }).toBe(true);
});

test.skipIf(!onServerDatabase)("a sign-up that loses the race for its address leaves no organization, audit row or email behind (server database only: PGlite is one session)", async () => {
  const email = address("race");
  const name = `Racer ${randomUUID().slice(0, 8)}`;
  // Another sign-up for the address has inserted its user and not committed yet: this one does not see it,
  // writes its organization, audit row and email, and waits at the unique index on users.email.
  const other = await holdTransaction([["insert into users (id, email) values ($1, $2)", [randomUUID(), email]]]);
  try {
    const registering = registerUser({ name, email, password: "a long enough passphrase" }, request);
    await other.waitForWaiters(1);
    await other.release();
    expect(await registering).toEqual({ ok: false, reason: "email_taken" });
  } finally {
    await other.release();
  }
  expect(await db.select().from(organizations).where(eq(organizations.name, `${name}'s organization`))).toEqual([]);
  expect(await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, email))).toEqual([]);
  const [user] = await db.select().from(users).where(eq(users.email, email));
  expect(user!.organizationId).toBeNull();
  expect(await db.select().from(auditLog).where(eq(auditLog.targetId, user!.id))).toEqual([]);
});

test(`a message is marked failed after its last attempt (${maxAttempts}), with backoff between attempts`, async () => {
  const [row] = await queueOwnEmails(1);
  const failing = recordingSender({ fail: true });
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const before = Date.now();
    expect(await deliverDueEmails({ sender: failing.sender, limit: 1 })).toEqual({ sent: 0, failed: 1, skipped: false });
    const after: OutboxEmail = await outboxRowFor(row!.toAddress);
    expect(after).toMatchObject({ attempts: attempt, status: attempt < maxAttempts ? "pending" : "failed", lastError: "recording sender refused the message" });
    const delayMs = after.nextAttemptAt.getTime() - before;
    expect(delayMs).toBeGreaterThan(backoffSeconds(attempt) * 1000 - 5_000);
    expect(delayMs).toBeLessThan(backoffSeconds(attempt) * 1000 + 5_000);
    await makeDue([row!.id]);
  }
  expect(failing.sent).toEqual(Array(maxAttempts).fill(row!.toAddress));

  // Failed is final: due or not, the next run passes it over for the next due message.
  const [next] = await queueOwnEmails(1);
  const recording = recordingSender();
  await deliverDueEmails({ sender: recording.sender, limit: 1 });
  expect(recording.sent).toEqual([next!.toAddress]);
  expect(await outboxRowFor(row!.toAddress)).toMatchObject({ status: "failed", attempts: maxAttempts });
});

test.skipIf(!onServerDatabase)("two deliverers running at once never send one message twice (server database only: PGlite is one session)", async () => {
  // Started together: their claims meet, and SKIP LOCKED gives each its own rows.
  const together = await queueOwnEmails(20);
  const first = recordingSender({ delayMs: 5 });
  const reports = await Promise.all([deliverDueEmails({ sender: first.sender, limit: 10 }), deliverDueEmails({ sender: first.sender, limit: 10 })]);
  expect(reports).toEqual([{ sent: 10, failed: 0, skipped: false }, { sent: 10, failed: 0, skipped: false }]);
  expect(first.sent.sort()).toEqual(together.map((row) => row.toAddress).sort());

  // One starts while the other is still sending what it claimed: the lease keeps those rows from it.
  const overlapping = await queueOwnEmails(20);
  const late = recordingSender();
  let lateRun: Promise<unknown> | undefined;
  const early = recordingSender({
    onSend: async () => {
      lateRun ??= deliverDueEmails({ sender: late.sender, limit: 10 });
      await lateRun;
    },
  });
  await deliverDueEmails({ sender: early.sender, limit: 10 });
  const everything = [...early.sent, ...late.sent];
  expect(early.sent).toHaveLength(10);
  expect(late.sent).toHaveLength(10);
  expect(everything.sort()).toEqual(overlapping.map((row) => row.toAddress).sort());
  const rows = await db.select().from(emailOutbox).where(like(emailOutbox.toAddress, `queued-%@${domain}`));
  const ours = new Set([...together, ...overlapping].map((row) => row.id));
  expect(rows.filter((row) => ours.has(row.id)).every((row) => row.status === "sent" && row.attempts === 1)).toBe(true);
});

test("a crashed sender's messages are sent by another run once their lease has run out", async () => {
  const [claimed, other] = await queueOwnEmails(2);
  // A sender that never answers, as if its process died mid-send: the row stays claimed, neither sent nor failed.
  let crash: (() => void) | undefined;
  const crashed = new Promise<void>((resolve) => (crash = resolve));
  const hang: EmailSender = () => {
    crash!();
    return new Promise<void>(() => undefined);
  };
  void deliverDueEmails({ sender: hang, limit: 1 });
  await crashed;
  const leased = await outboxRowFor(claimed!.toAddress);
  expect(leased).toMatchObject({ status: "pending", attempts: 0 });
  expect(leased.nextAttemptAt.getTime() - Date.now()).toBeGreaterThan(100_000);

  // While the lease lasts, another run leaves it alone and takes the next due message.
  const recovering = recordingSender();
  await deliverDueEmails({ sender: recovering.sender, limit: 1 });
  expect(recovering.sent).toEqual([other!.toAddress]);

  // The lease runs out (moved into the past rather than waited for): the next run sends it.
  await db
    .update(emailOutbox)
    .set({ nextAttemptAt: sql`${emailOutbox.nextAttemptAt} - interval '30 years'` })
    .where(eq(emailOutbox.id, claimed!.id));
  await deliverDueEmails({ sender: recovering.sender, limit: 1 });
  expect(recovering.sent).toEqual([other!.toAddress, claimed!.toAddress]);
  expect(await outboxRowFor(claimed!.toAddress)).toMatchObject({ status: "sent", attempts: 1 });
});

test("every template HTML-escapes the names it is given; the text part keeps them as written", async () => {
  const hostile = `<script>alert("x")</script> & O'Brien`;
  const escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; O&#39;Brien";
  const url = "https://portal.example/link?a=1&b=2";
  const rendered = [
    verifyEmailTemplate.render({ name: hostile, url }),
    passwordResetTemplate.render({ name: hostile, url }),
    accountLockedTemplate.render({ name: hostile, attempts: 5, unlocksAt: new Date(), resetUrl: url }),
    signUpAttemptTemplate.render({ name: hostile, signInUrl: url, resetUrl: url, verified: false }),
    receiptTemplate.render({
      name: hostile, organizationName: hostile, packageName: hostile, credits: 100, amountCents: 500, currency: "usd",
      provider: "stripe", paymentId: randomUUID(), balance: 100,
    }),
    lowCreditTemplate.render({ organizationName: hostile, balance: 5, threshold: 100 }),
    zeroCreditTemplate.render({ organizationName: hostile, balance: 0, threshold: 100 }),
  ];
  for (const email of rendered) {
    expect(email.html, email.subject).not.toContain("<script");
    expect(email.html, email.subject).toContain(escaped);
    expect(email.text, email.subject).toContain(hostile);
  }

  // And as registration queues it: the name the user typed, escaped in the row that is sent.
  const email = address("escape");
  await registerUser({ name: hostile, email, password: "a long enough passphrase" }, request);
  const row = await outboxRowFor(email);
  expect(row.html).toContain(`Hi ${escaped},`);
  expect(row.html).not.toContain("<script");
  await expect.poll(async () => (await outboxRowFor(email)).status, { timeout: 10_000 }).toBe("sent");
});

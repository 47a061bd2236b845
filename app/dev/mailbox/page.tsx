import { desc } from "drizzle-orm";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { db } from "@/db/client";
import { emailOutbox } from "@/db/schema";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Dev mailbox" };
export const dynamic = "force-dynamic";

const linkPattern = /https?:\/\/[^\s]+/g;

/**
 * Development only: the newest outbox messages with their links. Absent in production unless
 * ENABLE_DEV_MAILBOX=1 (set only by the e2e stack, which runs `next start`).
 */
export default async function DevMailboxPage({ searchParams }: { searchParams: Promise<{ to?: string }> }) {
  const config = env();
  if (config.NODE_ENV === "production" && config.ENABLE_DEV_MAILBOX !== "1") notFound();
  const { to } = await searchParams;
  const rows = await db.select().from(emailOutbox).orderBy(desc(emailOutbox.createdAt)).limit(100);
  const messages = to ? rows.filter((row) => row.toAddress === to.toLowerCase()) : rows;
  return (
    <main className="mx-auto max-w-4xl space-y-4 p-6">
      <h1 className="text-2xl font-semibold">Dev mailbox</h1>
      {messages.length === 0 && <p className="text-sm text-muted-foreground">No messages.</p>}
      {messages.map((message) => (
        <article key={message.id} className="space-y-2 rounded-lg border p-4" data-to={message.toAddress} data-template={message.template}>
          <header className="text-sm text-muted-foreground">
            To {message.toAddress} · {message.status} · {message.createdAt.toISOString()}
          </header>
          <h2 className="font-medium">{message.subject}</h2>
          <pre className="whitespace-pre-wrap text-sm">{message.text}</pre>
          <ul className="text-sm">
            {(message.text.match(linkPattern) ?? []).map((link) => (
              <li key={link}>
                <a href={link} className="underline">
                  {link}
                </a>
              </li>
            ))}
          </ul>
        </article>
      ))}
    </main>
  );
}

import { CheckCircle2Icon, CircleIcon } from "lucide-react";
import Link from "next/link";
import type * as React from "react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { OnboardingProgress, OnboardingStep } from "@/lib/orgs/onboarding";
import { ResendVerificationForm } from "./verify-email-banner";

type OnboardingChecklistProps = {
  progress: OnboardingProgress;
  email: string;
  /** Admins buy credits; a plain member is told to ask one instead of being sent to a page they cannot use. */
  canBuy: boolean;
};

const linkClass = "font-medium text-primary underline underline-offset-4 focus-visible:rounded-sm focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none";

function stepContent(step: OnboardingStep, { email, canBuy }: Omit<OnboardingChecklistProps, "progress">) {
  switch (step) {
    case "verify_email":
      return {
        title: "Verify your email address",
        detail: <>We sent a link to <strong className="break-all">{email}</strong>. Verifying lets you buy credits and create API keys.</>,
        action: <ResendVerificationForm />,
      };
    case "get_credits":
      return canBuy
        ? { title: "Buy credits", detail: "Every API call spends credits from your organization's balance.", action: <Link href="/billing" className={linkClass}>Buy credits</Link> }
        : { title: "Get credits", detail: "Only your organization's admins can buy credits. Ask an admin to add some.", action: null };
    case "create_key":
      return { title: "Create an API key", detail: "The data API identifies your calls by their key.", action: <Link href="/keys" className={linkClass}>Create a key</Link> };
    case "first_call":
      return { title: "Make your first call", detail: "Send a request with your key; its usage shows here within seconds.", action: <Link href="/docs" className={linkClass}>Read the docs</Link> };
  }
}

const order: OnboardingStep[] = ["verify_email", "get_credits", "create_key", "first_call"];

/** The steps from sign-up to a first call, each ticked from real state; the page hides it once all are done. */
export function OnboardingChecklist({ progress, ...context }: OnboardingChecklistProps) {
  const done = order.filter((step) => progress.steps[step]).length;
  return (
    <Card role="region" aria-labelledby="onboarding-title">
      <CardHeader>
        <CardTitle id="onboarding-title" className="text-lg">Get started</CardTitle>
        <CardDescription>{done} of {order.length} steps done</CardDescription>
      </CardHeader>
      <CardContent>
        <ol className="divide-y" aria-label="Onboarding steps">
          {order.map((step) => (
            <ChecklistItem key={step} done={progress.steps[step]} {...stepContent(step, context)} />
          ))}
        </ol>
      </CardContent>
    </Card>
  );
}

function ChecklistItem({ done, title, detail, action }: { done: boolean; title: string; detail: React.ReactNode; action: React.ReactNode }) {
  return (
    <li className="flex gap-3 py-3 first:pt-0 last:pb-0" data-done={done}>
      {done ? (
        <CheckCircle2Icon className="mt-0.5 size-5 shrink-0 text-emerald-600 dark:text-emerald-400" aria-hidden="true" />
      ) : (
        <CircleIcon className="mt-0.5 size-5 shrink-0 text-muted-foreground" aria-hidden="true" />
      )}
      <div className="min-w-0 flex-1 space-y-1">
        <p className={done ? "font-medium text-muted-foreground line-through" : "font-medium"}>
          {title}
          <span className="sr-only">{done ? " (done)" : " (to do)"}</span>
        </p>
        {!done && <p className="text-sm text-muted-foreground">{detail}</p>}
        {!done && action && <div className="pt-1 text-sm">{action}</div>}
      </div>
    </li>
  );
}

import Link from "next/link";
import { isLowOnCredits } from "@/lib/alerts";
import { formatCredits } from "@/lib/format";

type LowCreditBannerProps = {
  organization: { balance: number; lowCreditThreshold: number };
  /** Only admins can buy credits; members are told whom to ask instead of being sent to a page they cannot use. */
  canBuy: boolean;
};

/** Renders nothing while the balance is healthy; at zero it says that requests are being refused. */
export function LowCreditBanner({ organization, canBuy }: LowCreditBannerProps) {
  const { balance } = organization;
  // Zero is worth saying even when an admin has set the low-credit threshold to 0 to silence the warning.
  if (balance > 0 && !isLowOnCredits(organization)) return null;
  const empty = balance === 0;
  return (
    <div
      role="region"
      aria-label="Credit balance"
      className={
        empty
          ? "flex flex-wrap items-center gap-3 border-b bg-red-50 px-4 py-2 text-sm text-red-950 md:px-8 dark:bg-red-950/40 dark:text-red-100"
          : "flex flex-wrap items-center gap-3 border-b bg-amber-50 px-4 py-2 text-sm text-amber-950 md:px-8 dark:bg-amber-950/40 dark:text-amber-100"
      }
    >
      <p>
        {empty ? (
          <>
            <strong>You are out of credits.</strong> Requests with your API keys are refused until credits are added.
          </>
        ) : (
          <>
            Your balance is low: <strong>{formatCredits(balance)}</strong> {balance === 1 ? "credit" : "credits"} left.
          </>
        )}
      </p>
      {canBuy ? (
        <Link href="/billing" className="ml-auto font-medium underline underline-offset-4">
          Buy credits
        </Link>
      ) : (
        <p className="ml-auto">
          Ask an admin of your organization to buy more. <Link href="/billing" className="font-medium underline underline-offset-4">See billing</Link>
        </p>
      )}
    </div>
  );
}

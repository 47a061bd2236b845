import { cronRoute } from "@/lib/cron";
import { deliverDueEmails } from "@/lib/email";

/** One email outbox pass, for hosts where no process stays up to run the delivery loop (SPEC section 8). */
export const GET = cronRoute("outbox", () => deliverDueEmails());

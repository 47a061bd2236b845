import { serviceRoute } from "@/lib/service-api/handler";
import { maxBatchBodyBytes } from "@/lib/usage/schemas";
import { reportUsageBatch } from "@/lib/usage/report";

export const dynamic = "force-dynamic";

export const POST = serviceRoute({ maxBytes: maxBatchBodyBytes }, ({ body, defer }) => reportUsageBatch(body, { defer }));

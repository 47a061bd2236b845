import { serviceRoute } from "@/lib/service-api/handler";
import { maxUsageBodyBytes } from "@/lib/usage/schemas";
import { reportUsage } from "@/lib/usage/report";

export const dynamic = "force-dynamic";

export const POST = serviceRoute({ maxBytes: maxUsageBodyBytes }, ({ body, defer }) => reportUsage(body, { defer }));

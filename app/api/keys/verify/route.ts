import { serviceRoute } from "@/lib/service-api/handler";
import { verifyRequestSchema } from "@/lib/usage/schemas";
import { verifyApiKey } from "@/lib/keys/verify";
import { errorBody } from "@/lib/service-api/errors";

export const dynamic = "force-dynamic";

export const POST = serviceRoute({ maxBytes: 8 * 1024 }, async ({ body }) => {
  const parsed = verifyRequestSchema.safeParse(body);
  if (!parsed.success) return { status: 400, body: errorBody("invalid_request", { issues: parsed.error.issues }) };
  return { status: 200, body: await verifyApiKey(parsed.data.apiKey) };
});

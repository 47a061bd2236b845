import { env } from "@/lib/env";

/** Redis key names of SPEC section 4, all under REDIS_PREFIX. */
export const cacheKeys = {
  apiKey: (keyHash: string) => `${env().REDIS_PREFIX}key:${keyHash}`,
  credits: (organizationId: string) => `${env().REDIS_PREFIX}org:${organizationId}:credits`,
};

import { env } from "@/lib/env";

/** Absolute link to a page of this app, for emails. AUTH_URL is the public origin (its path, if any, is ignored). */
export function appUrl(path: string) {
  const origin = new URL(env().AUTH_URL ?? "http://localhost:3000").origin;
  return new URL(path, origin).toString();
}

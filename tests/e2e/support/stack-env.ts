import { readFileSync } from "node:fs";
import path from "node:path";

export const e2eEnvFile = path.join(process.cwd(), "test-results", "e2e-env.json");

export type StackEnv = Record<string, string>;

/** The environment the running app was started with (written by tests/e2e/stack.ts). */
export function readStackEnv(): StackEnv {
  return JSON.parse(readFileSync(e2eEnvFile, "utf8")) as StackEnv;
}

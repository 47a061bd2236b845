import { AdminError } from "@/lib/admin/errors";
import { UsageError } from "../script-runner";

export type Flags = Record<string, string>;

/** `--name value` pairs only; a flag without a value or an unknown flag is a usage error. */
export function parseFlags(argv: string[], allowed: readonly string[]): Flags {
  const flags: Flags = {};
  for (let index = 0; index < argv.length; index += 2) {
    const flag = argv[index]!;
    const value = argv[index + 1];
    if (!flag.startsWith("--") || !allowed.includes(flag.slice(2))) {
      throw new UsageError(`unknown option ${flag} (expected ${allowed.map((name) => `--${name}`).join(", ")})`);
    }
    if (value === undefined || value.startsWith("--")) throw new UsageError(`${flag} needs a value`);
    flags[flag.slice(2)] = value;
  }
  return flags;
}

export function required(flags: Flags, name: string): string {
  const value = flags[name]?.trim();
  if (!value) throw new UsageError(`--${name} is required`);
  return value;
}

export function integer(flags: Flags, name: string, options: { min?: number; fallback?: number } = {}): number {
  const raw = flags[name];
  if (raw === undefined && options.fallback !== undefined) return options.fallback;
  const value = Number(raw);
  if (raw === undefined || !Number.isSafeInteger(value) || (options.min !== undefined && value < options.min)) {
    throw new UsageError(`--${name} must be a whole number${options.min !== undefined ? ` of at least ${options.min}` : ""}`);
  }
  return value;
}

export function uuid(flags: Flags, name: string): string {
  const value = required(flags, name);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) throw new UsageError(`--${name} must be an id (uuid)`);
  return value;
}

/** An AdminError (invalid, not found, not allowed) is the operator's input: a usage error, exit 2. */
export async function asUsage<T>(work: Promise<T>) {
  try {
    return await work;
  } catch (error) {
    throw error instanceof AdminError ? new UsageError(error.message) : error;
  }
}

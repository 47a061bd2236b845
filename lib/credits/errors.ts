export class InsufficientCreditsError extends Error {
  constructor(readonly balance: number) {
    super(`Insufficient credits: the balance is ${balance}`);
    this.name = "InsufficientCreditsError";
  }
}

export class OrganizationNotFoundError extends Error {
  constructor(readonly organizationId: string) {
    super(`Organization ${organizationId} not found`);
    this.name = "OrganizationNotFoundError";
  }
}

/** Postgres unique_violation: two writers raced for the same idempotency reference. */
export function isUniqueViolation(error: unknown): boolean {
  const candidate = error as { code?: string; cause?: { code?: string } } | null;
  return candidate?.code === "23505" || candidate?.cause?.code === "23505";
}

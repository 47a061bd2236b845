export type AdminErrorCode = "not_found" | "insufficient_credits" | "last_client_admin" | "not_allowed" | "invalid";

/** An expected refusal of an admin operation; its message is written for the operator who asked. */
export class AdminError extends Error {
  constructor(
    readonly code: AdminErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "AdminError";
  }
}

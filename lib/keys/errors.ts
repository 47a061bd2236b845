/** An expected failure of a key operation, with a message fit for the person who asked. */
export class ApiKeyError extends Error {
  constructor(
    readonly code: "not_found" | "not_active" | "invalid_name" | "invalid_scopes" | "invalid_expiry",
    message: string,
  ) {
    super(message);
    this.name = "ApiKeyError";
  }
}

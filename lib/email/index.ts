export { enqueueEmail, deliverDueEmails, deliverSoon, backoffSeconds, maxAttempts, type DeliveryReport } from "./outbox";
export { configuredSender, type EmailSender } from "./sender";
export { defineEmailTemplate, emailLayout, type EmailTemplate, type RenderedEmail } from "./templates/define";
export { verifyEmailTemplate } from "./templates/verify-email";
export { passwordResetTemplate } from "./templates/password-reset";
export { accountLockedTemplate } from "./templates/account-locked";
export { signUpAttemptTemplate } from "./templates/sign-up-attempt";

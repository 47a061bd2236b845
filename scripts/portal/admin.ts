import { cliActor } from "@/lib/admin/actor";
import { emailSchema } from "@/lib/admin/schemas";
import { setOrganizationDisabled } from "@/lib/orgs/disable";
import { findUserByEmail, setUserDisabled, unlockUser } from "@/lib/users/admin";
import { UsageError } from "../script-runner";
import { asUsage, parseFlags, required, uuid } from "./args";

// The admin console's user and organization operations, for operators at a shell (SPEC section 5 style).

async function userByEmailFlag(argv: string[]) {
  const flags = parseFlags(argv, ["email"]);
  const email = emailSchema.safeParse(required(flags, "email"));
  if (!email.success) throw new UsageError(`not an email address: ${flags.email}`);
  const user = await findUserByEmail(email.data);
  if (!user) throw new UsageError(`no user ${email.data}`);
  return user;
}

export async function unlockUserCommand(argv: string[]) {
  const user = await userByEmailFlag(argv);
  await asUsage(unlockUser(user.id, cliActor));
  console.log(`unlocked ${user.email} (${user.failedLoginAttempts} failed attempts cleared)`);
}

export async function disableUserCommand(argv: string[]) {
  const user = await userByEmailFlag(argv);
  const result = await asUsage(setUserDisabled(user.id, true, cliActor));
  console.log(result.changed ? `disabled ${user.email}: ended ${result.sessionsEnded} sessions, ${result.keys} keys disabled` : `${user.email} was already disabled`);
}

export async function enableUserCommand(argv: string[]) {
  const user = await userByEmailFlag(argv);
  const result = await asUsage(setUserDisabled(user.id, false, cliActor));
  console.log(result.changed ? `enabled ${user.email}` : `${user.email} was already enabled`);
}

async function setOrganizationCommand(argv: string[], disabled: boolean) {
  const organizationId = uuid(parseFlags(argv, ["org"]), "org");
  const result = await asUsage(setOrganizationDisabled(organizationId, disabled, cliActor));
  const state = disabled ? "disabled" : "enabled";
  console.log(result.changed ? `${state} organization ${organizationId} (${result.keys} keys re-mirrored)` : `organization ${organizationId} was already ${state}`);
}

export const disableOrganizationCommand = (argv: string[]) => setOrganizationCommand(argv, true);
export const enableOrganizationCommand = (argv: string[]) => setOrganizationCommand(argv, false);

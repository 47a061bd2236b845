import bcrypt from "bcryptjs";
import { env } from "@/lib/env";

export function hashPassword(password: string) {
  return bcrypt.hash(password, env().BCRYPT_COST);
}

export function verifyPassword(password: string, hash: string) {
  return bcrypt.compare(password, hash);
}

// Compared against when the email is unknown, so a miss costs as much time as a wrong password
// and response timing does not reveal which addresses have accounts.
let decoyHash: Promise<string> | undefined;

export async function burnPasswordCheck(password: string) {
  decoyHash ??= hashPassword("decoy-password-never-matches");
  await bcrypt.compare(password, await decoyHash);
}

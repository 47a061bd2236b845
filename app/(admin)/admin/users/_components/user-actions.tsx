"use client";

import type { AdminUserRow } from "@/lib/users/admin";
import { setUserDisabledAction, unlockUserAction } from "../../actions";
import { AdminActionButton } from "../../_components/action-button";

type Props = { user: Pick<AdminUserRow, "id" | "email" | "disabledAt" | "lockedUntil" | "failedLoginAttempts"> };

export function UserActions({ user }: Props) {
  const locked = user.lockedUntil !== null || user.failedLoginAttempts > 0;
  return (
    <div className="flex flex-wrap justify-end gap-2">
      {locked && (
        <AdminActionButton
          action={unlockUserAction}
          input={{ userId: user.id }}
          label="Unlock"
          ariaLabel={`Unlock ${user.email}`}
          done={(data) => `Unlocked ${data.email}.`}
        />
      )}
      {user.disabledAt ? (
        <AdminActionButton
          action={setUserDisabledAction}
          input={{ userId: user.id, disabled: "false" }}
          label="Enable"
          ariaLabel={`Enable ${user.email}`}
          done={(data) => `Enabled ${data.email}.`}
          confirm={{ title: `Enable ${user.email}?`, description: "They can sign in again and the API keys they created work again.", action: "Enable" }}
        />
      ) : (
        <AdminActionButton
          action={setUserDisabledAction}
          input={{ userId: user.id, disabled: "true" }}
          label="Disable"
          ariaLabel={`Disable ${user.email}`}
          variant="destructive"
          done={(data) => `Disabled ${data.email}; ${data.sessionsEnded} sessions ended.`}
          confirm={{
            title: `Disable ${user.email}?`,
            description: "They are signed out everywhere at their next request, cannot sign in, and every API key they created is refused (status disabled).",
            action: "Disable user",
          }}
        />
      )}
    </div>
  );
}

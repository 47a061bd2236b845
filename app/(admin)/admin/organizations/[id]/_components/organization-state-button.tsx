"use client";

import { setOrganizationDisabledAction } from "../../../actions";
import { AdminActionButton } from "../../../_components/action-button";

/** Disable or enable the organization, after a confirmation that says what it does to its keys. */
export function OrganizationStateButton({ organization }: { organization: { id: string; name: string; disabled: boolean } }) {
  const { id, name, disabled } = organization;
  return (
    <AdminActionButton
      action={setOrganizationDisabledAction}
      input={{ organizationId: id, disabled: String(!disabled) }}
      label={disabled ? "Enable organization" : "Disable organization"}
      variant={disabled ? "outline" : "destructive"}
      done={(data) => (data.disabled ? `Disabled ${name}; its ${data.keys} keys now answer disabled.` : `Enabled ${name} again.`)}
      confirm={
        disabled
          ? { title: `Enable ${name}?`, description: "Its members can change things again and its API keys work again.", action: "Enable" }
          : { title: `Disable ${name}?`, description: "Every API key of this organization is refused at once (status disabled), and its members can no longer change anything.", action: "Disable organization" }
      }
    />
  );
}

"use client";

import type { CreditPackage } from "@/db/schema";
import { updatePackageAction } from "../../actions";
import { AdminActionButton } from "../../_components/action-button";

/** Deactivates a package (after a confirmation) or offers it again; every other field stays as it is. */
export function PackageActiveButton({ pack }: { pack: CreditPackage }) {
  const verb = pack.active ? "Deactivate" : "Activate";
  return (
    <AdminActionButton
      action={updatePackageAction}
      input={{ packageId: pack.id, name: pack.name, credits: String(pack.credits), priceCents: String(pack.priceCents), currency: pack.currency, sortOrder: String(pack.sortOrder), active: String(!pack.active) }}
      label={verb}
      ariaLabel={`${verb} ${pack.name}`}
      done={(data) => (data.active ? `“${data.name}” is offered again.` : `“${data.name}” is no longer offered.`)}
      confirm={pack.active ? { title: `Deactivate ${pack.name}?`, description: "It is no longer offered on the billing page. Payments already made are not affected.", action: "Deactivate" } : undefined}
    />
  );
}

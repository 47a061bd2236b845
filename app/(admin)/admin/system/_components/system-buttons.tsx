"use client";

import { resyncMirrorAction, retryFailedEmailsAction } from "../../actions";
import { AdminActionButton } from "../../_components/action-button";

export function ResyncButton() {
  return <AdminActionButton action={resyncMirrorAction} input={{}} label="Resync now" done={(data) => `Resynced: wrote ${data.keys} keys and ${data.balances} balances.`} />;
}

export function RetryFailedEmailsButton() {
  return (
    <AdminActionButton
      action={retryFailedEmailsAction}
      input={{}}
      label="Retry failed"
      done={(data) => (data.retried > 0 ? `Queued ${data.retried} failed emails again.` : "There were no failed emails to retry.")}
    />
  );
}

import type { SyncStatus } from './api';

/** The Synced column: grey Synced icon, Out of sync icon, or nothing for users with no MIS link. */
export function SyncedIcon({ status }: { status: SyncStatus }) {
  if (status === 'synced')
    return (
      <span className="synced" title="Synced with your MIS">
        ⟳ Synced
      </span>
    );
  if (status === 'out_of_sync')
    return (
      <span className="out-of-sync" title="Previously synced, no longer in your MIS">
        ⚠ Out of sync
      </span>
    );
  return null;
}

import type { SyncStatus } from './api';

/**
 * The Synced column: a grey "Synced" badge (MIS-managed, read-only), an Out of sync badge, or
 * nothing for users with no MIS link. A badge with a link glyph, not a circular arrow, so that it
 * does not read as a refresh button.
 */
export function SyncedIcon({ status }: { status: SyncStatus }) {
  if (status === 'synced')
    return (
      <span className="badge synced" title="Synced with your MIS: change this person's details in your MIS">
        <span aria-hidden="true">🔗</span> Synced
      </span>
    );
  if (status === 'out_of_sync')
    return (
      <span className="badge out-of-sync" title="Was synced with your MIS and no longer is">
        <span aria-hidden="true">⚠</span> Out of sync
      </span>
    );
  return null;
}

import type { SyncStatus } from './api';

/**
 * The Synced column: a grey "Synced" badge (MIS-managed, read-only), an Out of sync badge, or
 * nothing for users with no MIS link. A badge with a link glyph, not a circular arrow, so that it
 * does not read as a refresh button.
 */
export function SyncedIcon({ status, reason = null }: { status: SyncStatus; reason?: string | null }) {
  if (status === 'synced')
    return (
      <span className="badge synced" title="Synced with your MIS: change this person's details in your MIS">
        <LinkIcon /> Synced
      </span>
    );
  if (status === 'out_of_sync')
    return (
      <>
        <span className="badge out-of-sync" title="Was synced with your MIS and no longer is">
          <span aria-hidden="true">⚠</span> Out of sync
        </span>
        {reason && <span className="sync-reason">{reason}</span>}
      </>
    );
  return null;
}

/** Two chain links, drawn so that it shows on machines without an emoji font. */
function LinkIcon() {
  return (
    <svg aria-hidden="true" width="12" height="12" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="2">
      <path d="M6.5 9.5l3-3" strokeLinecap="round" />
      <path d="M7 4.5l1.2-1.2a2.8 2.8 0 014 4L11 8.5M9 11.5l-1.2 1.2a2.8 2.8 0 01-4-4L5 7.5" strokeLinecap="round" />
    </svg>
  );
}

/**
 * How marked results reach the sender, declared once: the CDK app builds the event source
 * mappings from it, and the local runtime's stream poller and parking queue follow the same
 * filter, batch sizes and retry limits (infra/local/resultsStream.ts).
 */

/**
 * Only result items, only when written (a new mark or a changed one). A delivery record, an
 * audit entry or a pupil never reaches the sender; a deleted result has nothing to send.
 * An EventBridge-style pattern: each array lists the values allowed at that place.
 */
export const resultStreamFilter = {
  eventName: ['INSERT', 'MODIFY'],
  dynamodb: { NewImage: { type: { S: ['result'] } } },
} as const;

export const resultStream = {
  filter: resultStreamFilter,
  /** Records per invocation; one invocation sends up to 50 results per POST. */
  batchSize: 100,
  /** A failing batch is split in two until the failing record is alone. */
  bisectBatchOnError: true,
  /** Then retried this often before it goes to the dead-letter queue: bounded, so one bad record cannot hold the shard for a day. */
  retryAttempts: 3,
  /** A record older than this goes to the dead-letter queue unsent (Lambda's own limit is a week). */
  maxRecordAgeSeconds: 6 * 60 * 60,
} as const;

/**
 * Results parked after a 429 (for the period Assembly named) or while Assembly fails, then
 * consumed by the same sender. SQS delays a message by 15 minutes at most, so a longer wait is
 * parked again when it comes back early.
 */
export const parkingQueue = {
  batchSize: 10,
  maxDelaySeconds: 900,
  /** Longer than the sender's timeout, so a message is not handed out twice at once. */
  visibilityTimeoutSeconds: 120,
  /** Received this often without being handled, a message goes to the parking queue's dead letters. */
  maxReceiveCount: 5,
  /** While Assembly answers 5xx: wait base × 2^(attempt − 1), then give the result up as failed after maxAttempts. */
  unavailableBaseSeconds: 30,
  unavailableMaxAttempts: 8,
} as const;

/** How long a result waits after Assembly failed for it `attempt` times (RESULTS_UNAVAILABLE_BASE_SECONDS shortens it in tests). */
export function unavailableWaitSeconds(attempt: number): number {
  const base = Number(process.env.RESULTS_UNAVAILABLE_BASE_SECONDS) || parkingQueue.unavailableBaseSeconds;
  return base * 2 ** (attempt - 1);
}

/** The sender's Lambda timeout: a few Assembly requests with their retries. */
export const SENDER_TIMEOUT_SECONDS = 60;
/**
 * The sender's own Assembly client: a request waits 8 s and is tried 3 times at most (about 25 s
 * with backoff), so an Assembly that stops answering is parked by the sender, with its backoff,
 * rather than timing the Lambda out and spending the stream's retries.
 */
export const senderAssembly = { timeoutMs: 8_000, maxRetries: 2 } as const;

type Pattern = { readonly [key: string]: Pattern | readonly (string | number | boolean)[] };

/** Whether an event matches a pattern like resultStreamFilter (what Lambda's filter criteria do). */
export function matchesPattern(pattern: Pattern, event: unknown): boolean {
  if (typeof event !== 'object' || event === null) return false;
  const fields = event as Record<string, unknown>;
  return Object.entries(pattern).every(([key, wanted]) => {
    const value = fields[key];
    if (Array.isArray(wanted)) return (wanted as readonly unknown[]).includes(value);
    return matchesPattern(wanted as Pattern, value);
  });
}

/**
 * Imported first by `npm start`, before any module builds its Powertools objects: metrics are
 * CloudWatch's business, so locally they are off unless asked for
 * (`POWERTOOLS_METRICS_DISABLED=false npm start` prints them in EMF). Logs stay JSON, as on Lambda.
 */
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

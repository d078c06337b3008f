/** Imported first by the benches: request logs would drown the figures, and metrics are CloudWatch's. */
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

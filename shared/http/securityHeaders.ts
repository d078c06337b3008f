/**
 * The wizard's Content-Security-Policy: its own scripts, styles and API only, no inline script,
 * never framed. CloudFront sends it with every response; the local gateway sends the same, so
 * the end-to-end tests run the app under it.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** SES's answers that no retry will change (the address is rejected, the account is suspended…). */
const REFUSED = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'BadRequestException',
  'AccountSuspendedException',
  'NotFoundException',
]);

export function refusedForGood(error: unknown): boolean {
  return REFUSED.has(error instanceof Error ? error.name : '');
}

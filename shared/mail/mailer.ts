import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';

export interface Email {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** The port for sending email. One adapter: SES v2 (locally, aws-ses-v2-local through AWS_ENDPOINT_URL_SESV2). */
export interface Mailer {
  /** Sends one email; resolves with the provider's message id once it has accepted it. */
  send(email: Email): Promise<{ messageId: string }>;
}

/** SES's answers that mean "slow down", not "this email is wrong". */
const THROTTLED = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'LimitExceededException',
  'SendingPausedException',
]);
const MAX_ATTEMPTS = 6;

export { refusedForGood } from './refusals';

export class SesMailer implements Mailer {
  constructor(
    private readonly from: string,
    // Not traced: X-Ray copies an SDK error's message into the trace, and SES's name the address.
    private readonly client = new SESv2Client({}),
    private readonly pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  ) {}

  async send(email: Email): Promise<{ messageId: string }> {
    const command = new SendEmailCommand({
      FromEmailAddress: this.from,
      Destination: { ToAddresses: [email.to] },
      Content: {
        Simple: { Subject: { Data: email.subject }, Body: { Text: { Data: email.text }, Html: { Data: email.html } } },
      },
    });
    for (let attempt = 1; ; attempt++) {
      try {
        const sent = await this.client.send(command);
        return { messageId: sent.MessageId ?? '' };
      } catch (error) {
        const name = error instanceof Error ? error.name : '';
        if (!THROTTLED.has(name) || attempt >= MAX_ATTEMPTS) throw error;
        // SES's sending rate is per second: back off from 200 ms, doubling, with jitter.
        await this.pause(200 * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
      }
    }
  }
}

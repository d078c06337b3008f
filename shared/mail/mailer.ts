import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';

export interface Email {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** The port for sending email. One adapter: SES v2 (locally, aws-ses-v2-local through AWS_ENDPOINT_URL_SESV2). */
export interface Mailer {
  send(email: Email): Promise<void>;
}

export class SesMailer implements Mailer {
  constructor(
    private readonly from: string,
    private readonly client = new SESv2Client({}),
  ) {}

  async send(email: Email): Promise<void> {
    await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: [email.to] },
        Content: {
          Simple: { Subject: { Data: email.subject }, Body: { Text: { Data: email.text }, Html: { Data: email.html } } },
        },
      }),
    );
  }
}

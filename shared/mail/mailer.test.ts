import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SesMailer } from './mailer';

/** SES throttling, which SES v2 local never does. */
const ses = mockClient(SESv2Client);
afterEach(() => ses.reset());

const email = { to: 'teacher@school.example', subject: 'Welcome', text: 'Hello', html: '<p>Hello</p>' };
const mailer = () => new SesMailer('no-reply@hub.example', new SESv2Client({ region: 'eu-west-2' }), async () => {});
const error = (name: string) => Object.assign(new Error(name), { name });

describe('the SES mailer', () => {
  it('waits and tries again while SES is throttling, and returns the message id', async () => {
    ses
      .on(SendEmailCommand)
      .rejectsOnce(error('TooManyRequestsException'))
      .rejectsOnce(error('TooManyRequestsException'))
      .resolves({ MessageId: 'message-1' });

    expect(await mailer().send(email)).toEqual({ messageId: 'message-1' });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(3);
  });

  it('does not retry an email SES refuses', async () => {
    ses.on(SendEmailCommand).rejects(error('MessageRejected'));

    await expect(mailer().send(email)).rejects.toMatchObject({ name: 'MessageRejected' });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
  });
});

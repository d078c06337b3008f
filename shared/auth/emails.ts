import type { Email } from '../mail/mailer';

const escape = (value: string) =>
  value.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char]!);

/** The email that gives a new (or never signed-in) teacher a set-password link. */
export function welcomeEmail(to: string, firstName: string, school: string, link: string): Email {
  const subject = `Welcome to MARK at ${school}`;
  const text = `Dear ${firstName},\n\nAn account has been created for you in the Hodder Education Admin Hub for ${school}.\nSet your password with this link (it works once and expires in 7 days):\n\n${link}\n\nThen sign in with this email address.`;
  const html = `<p>Dear ${escape(firstName)},</p><p>An account has been created for you in the Hodder Education Admin Hub for ${escape(school)}.</p><p><a href="${escape(link)}">Set your password</a> (the link works once and expires in 7 days), then sign in with this email address.</p>`;
  return { to, subject, text, html };
}

/** The answer to “Forgot your password?”. */
export function resetEmail(to: string, displayName: string, link: string): Email {
  const subject = 'Choose a new Admin Hub password';
  const text = `Dear ${displayName},\n\nSomeone (we hope you) asked to choose a new password for the Hodder Education Admin Hub.\nChoose it with this link (it works once and expires in 1 hour):\n\n${link}\n\nIf you did not ask, ignore this email: your password has not changed.`;
  const html = `<p>Dear ${escape(displayName)},</p><p>Someone (we hope you) asked to choose a new password for the Hodder Education Admin Hub.</p><p><a href="${escape(link)}">Choose a new password</a> (the link works once and expires in 1 hour).</p><p>If you did not ask, ignore this email: your password has not changed.</p>`;
  return { to, subject, text, html };
}

/** Told at both addresses when the Access Co-ordinator changes a teacher's email (which they sign in with). */
export function emailChangedEmail(to: string, displayName: string, newEmail: string, signInUrl: string): Email {
  const subject = 'Your Admin Hub email address has changed';
  const text = `Dear ${displayName},\n\nYour school's Access Co-ordinator has changed the email address of your Hodder Education Admin Hub account to ${newEmail}. Sign in with it from now on, with the same password:\n\n${signInUrl}\n\nIf you did not expect this, speak to your Access Co-ordinator.`;
  const html = `<p>Dear ${escape(displayName)},</p><p>Your school's Access Co-ordinator has changed the email address of your Hodder Education Admin Hub account to <strong>${escape(newEmail)}</strong>. Sign in with it from now on, with the same password: <a href="${escape(signInUrl)}">${escape(signInUrl)}</a>.</p><p>If you did not expect this, speak to your Access Co-ordinator.</p>`;
  return { to, subject, text, html };
}

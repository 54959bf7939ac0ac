import { createTransport } from "nodemailer";

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable across attempts (`<email-<id>@inkwell>`), so a receiver can tell a resend from a new message. */
  messageId: string;
}

/** Where emails go: an SMTP server, or nowhere (they stay in the outbox). */
export interface EmailTransport {
  send(message: OutgoingEmail): Promise<void>;
  close(): void;
}

/**
 * Sends through the SMTP server of `smtpUrl` (`smtp://user:pass@host:587`,
 * `smtps://…` for TLS from the start; nodemailer's options may ride in the
 * query string). Timeouts are short: a job that hangs holds a worker slot.
 */
export function smtpTransport(smtpUrl: string, from: string): EmailTransport {
  const mailer = createTransport({
    url: smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(message) {
      await mailer.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: message.messageId,
      });
    },
    close: () => mailer.close(),
  };
}

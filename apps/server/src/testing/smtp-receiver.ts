import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface SmtpReceiver {
  /** `SMTP_URL` for a server under test. */
  url: string;
  /** Message-IDs of every message whose data arrived, in order, whether accepted yet or not. */
  arrivals: string[];
  /** Messages accepted (answered 250), parsed. */
  accepted: ParsedMail[];
  /**
   * Runs before a message is accepted: the sender waits while it does (a slow
   * or stuck receiver). Resolves to accept; `never()` holds it until the
   * sender goes away; throwing refuses it with a temporary failure (451). Default: accept at once.
   */
  beforeAccept: (mail: ParsedMail, arrival: number) => Promise<void>;
  close(): Promise<void>;
}

/** Never resolves: the message is held until the sending connection ends. */
export const never = () => new Promise<void>(() => {});

/** A real SMTP server on a free local port (no TLS, no authentication), that parses what it gets with mailparser. */
export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const receiver: SmtpReceiver = {
    url: "",
    arrivals: [],
    accepted: [],
    beforeAccept: async () => {},
    close: async () => {},
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    // Held connections must not keep close() waiting.
    closeTimeout: 100,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        async (mail) => {
          receiver.arrivals.push(mail.messageId ?? "");
          try {
            await receiver.beforeAccept(mail, receiver.arrivals.length);
          } catch (error) {
            callback(Object.assign(error instanceof Error ? error : new Error(String(error)), { responseCode: 451 }));
            return;
          }
          receiver.accepted.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  receiver.url = `smtp://127.0.0.1:${port}`;
  receiver.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return receiver;
}

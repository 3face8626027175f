// The demo's local SMTP catcher: the app's alert digests (nodemailer) are delivered here instead of
// to anyone's inbox. Each message is printed, and the last 50 are listed as JSON at GET http://…:<httpPort>/.
import http from "node:http";
import { SMTPServer } from "smtp-server";

export type CaughtMail = { at: string; from: string; to: string[]; subject: string; text: string };

export async function startSmtpCatcher(smtpPort: number, httpPort: number, log: (line: string) => void = console.log) {
  const mails: CaughtMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, done) {
      let raw = "";
      stream.on("data", (c: Buffer) => (raw += c.toString()));
      stream.on("end", () => {
        const [head = "", ...body] = raw.split(/\r?\n\r?\n/);
        const subject = /^Subject: (.*)$/m.exec(head)?.[1] ?? "(no subject)";
        const mail = {
          at: new Date().toISOString(),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          subject,
          text: body.join("\n\n"),
        };
        mails.unshift(mail);
        mails.splice(50);
        log(`[mail] to ${mail.to.join(", ")}: ${subject}`);
        done();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(smtpPort, "127.0.0.1", r));
  const web = http.createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(mails, null, 2)));
  await new Promise<void>((r) => web.listen(httpPort, "127.0.0.1", r));
  return {
    url: `smtp://127.0.0.1:${smtpPort}`,
    inbox: `http://127.0.0.1:${httpPort}/`,
    mails,
    close: () => Promise.all([new Promise((r) => smtp.close(() => r(null))), new Promise((r) => web.close(() => r(null)))]),
  };
}

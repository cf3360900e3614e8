// `npm run fake-sectigo`: the fake Sectigo server on loopback until Ctrl+C, for
// trying the command line and the extension without touching the real API.
import { ORDERS, startFakeSectigo, TYPED_DEMO_ACCOUNT } from '../test/fake-sectigo/server';

function numberArgument(name: string): number | undefined {
  const index = process.argv.indexOf(name);
  if (index < 0) return undefined;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    process.stderr.write(`fake-sectigo: ${name} needs a port number (0-65535).\n`);
    process.exit(2);
  }
  return value;
}

async function run(): Promise<void> {
  const port = numberArgument('--port') ?? 0;
  const plainHttpPort = numberArgument('--plain-http-port') ?? 0;
  const fake = await startFakeSectigo({ port, plainHttpPort, accounts: [TYPED_DEMO_ACCOUNT] });
  // The demo password is the fake server's fixed value, printed so it can be typed.
  process.stdout.write(
    [
      `Fake Sectigo API listening at ${fake.url}`,
      `Plain HTTP (answers -1):     ${fake.plainHttpUrl}`,
      `CA file to trust:            ${fake.caFile}`,
      `Demo login name:             ${TYPED_DEMO_ACCOUNT.loginName}`,
      `Demo password:               ${TYPED_DEMO_ACCOUNT.loginPassword} (the fake server's fixed demo value)`,
      `Orders: issued ${ORDERS.issued}, ${ORDERS.issuedSpare}; being issued ${ORDERS.beingIssued}; revoked ${ORDERS.revoked}; rejected ${ORDERS.rejected}; no permission ${ORDERS.noPermission}; wrong state ${ORDERS.wrongState}`,
      '',
      // The password is read without echo, as the README advises, never put on a command line.
      'Try (after npm run build; the second line asks for the password without showing it):',
      `  export SECTIGO_LOGIN_NAME=${TYPED_DEMO_ACCOUNT.loginName}`,
      '  read -rs SECTIGO_LOGIN_PASSWORD && export SECTIGO_LOGIN_PASSWORD',
      `  node dist/cli.js revoke --order ${ORDERS.issued} --reason test --test --base-url ${fake.url} --ca-file ${fake.caFile}`,
      'Ctrl+C stops it.',
      '',
    ].join('\n'),
  );
  const stop = (): void => {
    fake.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

run().catch((error: unknown) => {
  process.stderr.write(`fake-sectigo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

// `npm run cli -- <command> ...` (or the `meta-orchestrator` bin): the everyday jobs over the HTTP API.
import { runCli } from './run-cli';

runCli(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);

import { main } from './main';

// Writes go through process.stdout so piping into `head` or a file never truncates output on exit.
main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`deeplint: internal error: ${String(error)}\n`);
    process.exitCode = 2;
  },
);

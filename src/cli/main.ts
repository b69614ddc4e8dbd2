import { version } from '../../package.json';
import { runCheck, CHECK_HELP } from './commands/check';
import { runExplain } from './commands/explain';
import { runModels } from './commands/models';
import { runProbe } from './commands/probe';
import { runRule } from './commands/rule';
import { UsageError, type Io } from './errors';

const HELP = `deeplint ${version}: explains and lints deep-learning model code.

Usage: deeplint <command> [options]

Commands:
  check [PATH...]     Lint files, folders and notebooks (text, json, sarif, github output)
  models [PATH...]    Show the models DeepLint understands: layers, sizes, parameters, init
  probe PATH          Gradient-health probe: per-layer gradient/activation statistics at initialization
  rule CODE           Show a rule's documentation (rule --list lists them all)
  explain TOPIC       Explain a concept or API name (dropout, kaiming_normal_, 'relu')

Run 'deeplint <command> --help' for a command's options.
`;

type Command = (argv: string[], io: Io) => number | Promise<number>;

const COMMANDS: Record<string, Command> = {
  check: (argv, io) => runCheck(argv, io, version),
  models: runModels,
  probe: runProbe,
  rule: runRule,
  explain: (argv, io) => runExplain(argv, io, process.stdout.isTTY === true),
};

/** Runs the CLI and returns its exit status; never throws. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(HELP);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`${version}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command '${name}'\n\n${HELP}`);
    return await command(rest, io);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`deeplint: ${(error as Error).message}\n`);
      if (name === 'check' && !(error instanceof UsageError)) io.stderr(CHECK_HELP);
      return 2;
    }
    io.stderr(`deeplint: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 2;
  }
}

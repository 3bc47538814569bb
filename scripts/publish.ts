import { readFile } from 'node:fs/promises';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { InputError, expandInputs, type InputSource } from './publish/inputs';
import { InputSyntaxError, countJsonItems } from './publish/json-items';
import { createProgress, type ProgressMode } from './publish/progress';
import { Publisher } from './publish/publisher';
import { consoleFailures, exitCode, fileFailures, summaryLines } from './publish/report';
import { TargetError, resolveTarget } from './publish/resolve-target';
import { DEFAULT_RETRY_POLICY } from '../server/taxii/retry-policy';
import { TaxiiConnection, TaxiiRequestError, type Credentials } from './publish/taxii-http';

/**
 * `npm run publish -- <file|folder|-> --collection <id, alias or title>`: publishes STIX objects to a
 * collection of any TAXII 2.1 server, this one included. See `--help` and the README's "Publish".
 */

const DEFAULT_URL = 'http://127.0.0.1:8000/taxii2/';

interface PublishOptions {
  collection: string;
  url: string;
  user?: string;
  passwordStdin?: boolean;
  token?: string;
  ca?: string;
  concurrency: number;
  maxObjects: number;
  maxBytes?: number;
  retries: number;
  timeout: number;
  statusTimeout: number;
  failures?: string;
  progress: 'auto' | ProgressMode;
  progressInterval: number;
  count: boolean;
}

/** A mistake in the command line: one line on stderr, exit code 2. */
class UsageError extends Error {}

function positiveInteger(name: string, minimum = 1) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < minimum) throw new InvalidArgumentError(`${name} must be an integer of at least ${minimum}`);
    return value;
  };
}

function url(text: string): string {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new InvalidArgumentError('not a URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new InvalidArgumentError('only http: and https: URLs');
  return parsed.href;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream as AsyncIterable<string>) text += chunk;
  return text;
}

async function credentialsFrom(options: PublishOptions, inputs: string[]): Promise<Credentials> {
  if (options.token !== undefined && (options.user !== undefined || options.passwordStdin)) throw new UsageError('give --token or --user with --password-stdin, not both');
  if (options.token !== undefined) return { kind: 'bearer', token: options.token };
  if (options.user === undefined) {
    if (options.passwordStdin) throw new UsageError('--password-stdin needs --user');
    return { kind: 'none' };
  }
  // A password on the command line would be visible to every user of the machine in the process list.
  if (!options.passwordStdin) throw new UsageError('give the password on standard input with --password-stdin (a password on the command line is visible in the process list)');
  if (inputs.includes('-')) throw new UsageError('standard input cannot carry both the password and the objects: give the objects as a file');
  const password = (await readAll(process.stdin)).replace(/\r?\n$/, '');
  if (password === '') throw new UsageError('--password-stdin: standard input was empty');
  return { kind: 'basic', username: options.user, password };
}

async function countAll(inputs: InputSource[]): Promise<number | undefined> {
  if (!inputs.every((input) => input.rereadable)) return undefined;
  let total = 0;
  for (const input of inputs) {
    try {
      total += await countJsonItems(input.open());
    } catch (error) {
      if (error instanceof InputSyntaxError) throw new InputError(`${input.name}: ${error.message}`);
      throw error;
    }
  }
  return total;
}

function program(): Command {
  return new Command('publish')
    .description('Publish STIX 2.1 objects to a collection of a TAXII 2.1 server: a bundle, a TAXII envelope, a JSON array or JSON lines, of any size.')
    .argument('<inputs...>', 'files, folders (their .json, .jsonl and .ndjson files) or - for standard input')
    .requiredOption('--collection <name>', 'the collection: its id, its alias or its title')
    .option('--url <url>', 'discovery URL (…/taxii2/) or API root URL', url, DEFAULT_URL)
    .option('--user <username>', 'HTTP Basic user name; the password is read from standard input (--password-stdin)')
    .option('--password-stdin', 'read the password from standard input')
    .option('--token <token>', 'API token, sent as a Bearer token')
    .option('--ca <file>', 'PEM file of the CA(s) that signed the server\'s certificate, for https URLs with a private CA')
    .option('--concurrency <n>', 'envelopes posted at once', positiveInteger('--concurrency'), 2)
    .option('--max-objects <n>', 'at most this many objects per envelope', positiveInteger('--max-objects'), 1000)
    .option('--max-bytes <n>', 'envelope size limit in bytes (default: the API root\'s max_content_length; only lower is allowed)', positiveInteger('--max-bytes', 64))
    .option('--retries <n>', 'retries of one request on 5xx, 429 and connection errors, with exponential back-off', positiveInteger('--retries', 0), DEFAULT_RETRY_POLICY.retries)
    .option('--timeout <seconds>', 'abandon (and retry) a request after this long without an answer', positiveInteger('--timeout'), 300)
    .option('--status-timeout <seconds>', 'once everything is sent, wait this long in all for statuses still pending', positiveInteger('--status-timeout', 0), 600)
    .option('--failures <file>', 'write failed objects there as JSON lines ({id, version, message}) instead of listing them on stdout')
    .addOption(new Option('--progress <mode>', 'a bar on a terminal, plain lines otherwise').choices(['auto', 'bar', 'lines', 'none']).default('auto'))
    .option('--progress-interval <seconds>', 'seconds between two progress lines', positiveInteger('--progress-interval'), 10)
    .option('--no-count', 'do not count the objects first (no ETA, but nothing is read twice)')
    .addHelpText('after', [
      '',
      'Exit codes: 0 every object stored; 1 some objects failed (listed); 2 stopped early (usage, credentials,',
      'network after retries, unreadable input); 3 none failed but some were still pending; 130 interrupted.',
      'Re-running after an interruption is safe: objects already stored are accepted again as duplicates.',
      '',
      'Example:',
      '  printf %s "$PASSWORD" | npm run publish -- bundle.json --collection alliance-indicators \\',
      '    --url https://taxii.example.org/taxii2/ --user analyst@europol --password-stdin',
    ].join('\n'))
    .showHelpAfterError('(run with --help for usage)');
}

async function main(argv: string[]): Promise<number> {
  const command = program();
  command.exitOverride();
  try {
    command.parse(argv);
  } catch (error) {
    // commander has printed the message, or the help, which is not an error.
    return error instanceof CommanderError && error.exitCode === 0 ? 0 : 2;
  }
  const options = command.opts<PublishOptions>();
  const args = command.args;
  let connection: TaxiiConnection | undefined;
  try {
    const credentials = await credentialsFrom(options, args);
    const inputs = await expandInputs(args, process.stdin);
    const mode: ProgressMode = options.progress === 'auto' ? (process.stderr.isTTY ? 'bar' : 'lines') : options.progress;
    // Retries while the target is resolved happen before the display exists: plain lines on stderr.
    let note = (line: string): void => {
      process.stderr.write(`${line}\n`);
    };
    connection = new TaxiiConnection({
      credentials,
      ...(options.ca !== undefined && { ca: await readFile(options.ca) }),
      timeoutMs: options.timeout * 1000,
      retry: { ...DEFAULT_RETRY_POLICY, retries: options.retries },
      maxSockets: options.concurrency + 1,
      onRetry: (line) => note(line),
    });
    const target = await resolveTarget(connection, new URL(options.url), options.collection);
    if (options.maxBytes !== undefined && options.maxBytes > target.maxContentLength) {
      throw new UsageError(`--max-bytes ${options.maxBytes} is above the API root's max_content_length (${target.maxContentLength})`);
    }
    const maxBytes = options.maxBytes ?? target.maxContentLength;
    const total = options.count ? await countAll(inputs) : undefined;

    const progress = createProgress(mode, process.stderr, total, options.progressInterval * 1000);
    note = (line) => progress.note(line);
    const failures = options.failures !== undefined ? fileFailures(options.failures) : consoleFailures();

    let stopRequested = false;
    const onInterrupt = () => {
      // A second Ctrl-C means "now": statuses are not waited for.
      if (stopRequested) process.exit(130);
      stopRequested = true;
      progress.note('Stopping: finishing the requests in flight (Ctrl-C again to quit at once).');
    };
    process.on('SIGINT', onInterrupt);
    const publisher = new Publisher(connection, target, {
      concurrency: options.concurrency,
      maxObjects: options.maxObjects,
      maxBytes,
      statusTimeoutMs: options.statusTimeout * 1000,
      statusFirstDelayMs: 200,
      statusMaxDelayMs: 5000,
    }, progress, (failure) => failures.add(failure), () => stopRequested, total);
    const result = await publisher.run(inputs);
    process.off('SIGINT', onInterrupt);
    progress.stop();

    for (const line of await failures.finish()) process.stdout.write(`${line}\n`);
    for (const line of summaryLines(result, target, { maxObjects: options.maxObjects, maxBytes, ...(options.failures !== undefined && { failuresFile: options.failures }) })) {
      process.stdout.write(`${line}\n`);
    }
    if (result.stoppedBy !== undefined) {
      if (result.stoppedBy !== 'interrupted') process.stderr.write(`error: ${result.stoppedBy}\n`);
      process.stderr.write('Re-run the same command to publish the rest: objects already stored are accepted again as duplicates.\n');
    }
    return exitCode(result);
  } catch (error) {
    const known = error instanceof UsageError || error instanceof InputError || error instanceof TargetError || error instanceof TaxiiRequestError || error instanceof InputSyntaxError;
    process.stderr.write(`error: ${known ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 2;
  } finally {
    connection?.close();
  }
}

main(process.argv).then((code) => {
  process.exitCode = code;
});

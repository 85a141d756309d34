// `wsconform validate --protocol atheria|evolution --direction server|client [FILE|-]`
// (CLI-CONTRACT): checks captured messages against spec/ and prints one verdict per message.
// Exit 0 all valid, 1 any invalid, 2 bad usage or unreadable input (one line on stderr).
import { readFile } from 'node:fs/promises';
import type { Protocol } from '../src/engine/types.js';
import {
  type Direction,
  formatViolation,
  type Message,
  type MessageResult,
  PROTOCOLS,
  validateSequence,
} from '../src/schema/index.js';
import { parseFlags, UsageError } from '../src/util/usage.js';

const HELP = `wsconform validate --protocol atheria|evolution --direction server|client [--json] [FILE|-]

Reads a JSON array of messages, or one JSON message per line, from FILE or stdin ('-' or no FILE)
and prints one verdict per message. A binary message is written {"$binary": "<base64>"}:
  atheria server   the binary frame after a simulation_frame_binary header (A6)
  evolution client an agent_code message: JSON header, newline, code bytes (E11)
  --json           print one JSON document with every result instead of verdict lines
Exit status: 0 all valid, 1 at least one invalid, 2 bad usage or unreadable input.`;

export interface ValidateIo {
  /** input used instead of stdin */
  stdin?: string;
  out?: (text: string) => void;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

function toMessage(value: unknown, where: string): Message {
  if (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.hasOwn(value, '$binary')
  ) {
    const b64 = (value as { $binary: unknown }).$binary;
    if (typeof b64 !== 'string' || !BASE64.test(b64.replace(/\s+/g, ''))) {
      throw new UsageError(`${where}: "$binary" must be a base64 string — fix the input`);
    }
    return { kind: 'binary', data: new Uint8Array(Buffer.from(b64, 'base64')) };
  }
  return { kind: 'text', json: value };
}

/** A JSON array of messages, one JSON message, or JSON lines (blank lines skipped). */
export function parseMessages(text: string, source: string): Message[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new UsageError(`${source} holds no messages — give a JSON array or JSON lines`);
  // The whole input as one JSON document: an array of messages, or one (pretty-printed) message.
  let all: unknown;
  let whole = false;
  try {
    all = JSON.parse(trimmed);
    whole = true;
  } catch {
    // not one JSON document: read it as JSON lines below
  }
  if (whole) {
    return Array.isArray(all)
      ? all.map((v, i) => toMessage(v, `${source} message #${i + 1}`))
      : [toMessage(all, source)];
  }
  const messages: Message[] = [];
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new UsageError(
        `${source} line ${i + 1} is not JSON — give a JSON array or one JSON message per line`,
      );
    }
    messages.push(toMessage(value, `${source} line ${i + 1}`));
  }
  return messages;
}

async function readInput(
  file: string | undefined,
  io: ValidateIo,
): Promise<{ text: string; source: string }> {
  if (file !== undefined && file !== '-') {
    try {
      return { text: await readFile(file, 'utf8'), source: file };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw new UsageError(`cannot read ${file} (${code}) — give a readable file, or '-' for stdin`);
    }
  }
  if (io.stdin !== undefined) return { text: io.stdin, source: 'stdin' };
  if (process.stdin.isTTY)
    throw new UsageError('no FILE given and stdin is a terminal — give a FILE or pipe messages in');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return { text: Buffer.concat(chunks).toString('utf8'), source: 'stdin' };
}

function verdictLine(r: MessageResult): string {
  const notes = r.notes.length > 0 ? ` (note: ${r.notes.join('; ')})` : '';
  if (r.valid) return `#${r.index} valid ${r.type}${notes}`;
  return `#${r.index} invalid ${r.type}: ${r.violations.map(formatViolation).join('; ')}${notes}`;
}

function choice<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T {
  if (value === undefined)
    throw new UsageError(`--${flag} is required (${allowed.join(' or ')}) — see 'wsconform validate --help'`);
  if (!allowed.includes(value as T))
    throw new UsageError(`--${flag} must be ${allowed.join(' or ')}, got '${value}'`);
  return value as T;
}

export async function validateVerb(argv: string[], io: ValidateIo = {}): Promise<number> {
  const out = io.out ?? ((s: string) => process.stdout.write(s));
  const { values, positionals } = parseFlags(
    'validate',
    argv,
    {
      protocol: { type: 'string' },
      direction: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    true,
  );
  if (values.help) {
    out(`${HELP}\n`);
    return 0;
  }
  const protocol = choice<Protocol>('protocol', values.protocol, PROTOCOLS);
  const direction = choice<Direction>('direction', values.direction, ['server', 'client']);
  if (positionals.length > 1)
    throw new UsageError(`takes one FILE, got ${positionals.length} — validate one capture at a time`);
  const { text, source } = await readInput(positionals[0], io);
  const results = validateSequence(protocol, direction, parseMessages(text, source));
  const invalid = results.filter((r) => !r.valid).length;
  if (values.json) {
    const doc = {
      protocol,
      direction,
      total: results.length,
      valid: results.length - invalid,
      invalid,
      results,
    };
    out(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    out(results.map((r) => `${verdictLine(r)}\n`).join(''));
  }
  return invalid > 0 ? 1 : 0;
}

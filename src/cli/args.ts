/** A small argument parser: flags with values, booleans, repeatable flags, positionals. */
import { quote } from '../spec/errors.js';
import { UserError } from '../support/user-error.js';

export interface FlagSpec {
  /** Takes a value (`--fps 20` or `--fps=20`). */
  value?: boolean;
  /** May be given several times; values collect into an array. */
  repeat?: boolean;
  alias?: string;
}

export class UsageError extends UserError {}

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | boolean | string[]>;
}

export function parseArgs(argv: string[], spec: Record<string, FlagSpec>): ParsedArgs {
  const aliases = new Map(
    Object.entries(spec).flatMap(([name, s]) => (s.alias ? [[s.alias, name]] : [])),
  );
  const positionals: string[] = [];
  const flags: ParsedArgs['flags'] = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const rawName = arg
      .replace(/^--?/, '')
      .slice(0, eq > 0 ? eq - (arg.startsWith('--') ? 2 : 1) : undefined);
    const name = aliases.get(rawName) ?? rawName;
    const s = spec[name];
    if (!s) throw new UsageError(`unknown option ${arg.slice(0, eq > 0 ? eq : undefined)}`);
    if (!s.value) {
      flags[name] = true;
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`option --${name} needs a value`);
    if (s.repeat) flags[name] = [...((flags[name] as string[]) ?? []), value];
    else flags[name] = value;
  }
  return { positionals, flags };
}

export function numberFlag(
  flags: ParsedArgs['flags'],
  name: string,
  check: (n: number) => boolean,
  expected: string,
): number | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isFinite(n) || !check(n)) {
    throw new UsageError(`--${name} ${quote(String(raw))} is not ${expected}`);
  }
  return n;
}

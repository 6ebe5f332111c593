/**
 * Output formats shared by the commands (`--output text|json|md|csv|dot`): the option and its
 * usage text. The writers (JSON, CSV, Markdown, DOT) are those of `src/report/formats.ts`, so that
 * each format looks the same whichever command prints it. The field names each command prints
 * are documented in its usage and in docs/cli-output.md; they are stable.
 */
import { CliIo, UsageError } from './command';
import { OptionSpecs, OptionValues } from './options';

export { csvField, dotId, markdownCell, markdownCode, markdownTable, toCsv, toDot, toJson } from '../report/formats';
export type { DotEdge, DotNode } from '../report/formats';

/** An output format. */
export type OutputFormat = 'text' | 'json' | 'md' | 'csv' | 'dot';

/** Every output format, in the order usage texts list them. */
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'md', 'csv', 'dot'];

/** `-o`, `--output <format>`. */
export const OUTPUT_OPTION: OptionSpecs = {
  output: { type: 'string', short: 'o' },
};

/** What each format is, for usage texts. */
const FORMAT_HELP: { readonly [format in OutputFormat]: string } = {
  text: 'text for people (the default)',
  json: 'one JSON document (fields below)',
  md: 'Markdown, ready to paste into a pull-request comment',
  csv: 'comma-separated values with a header line (RFC 4180)',
  dot: 'a Graphviz graph (render with dot -Tsvg)',
};

/**
 * The usage text of `--output` for a command that prints these formats (the first is the default).
 *
 * @param formats the formats of the command, default first
 */
export function outputHelp(formats: readonly OutputFormat[]): string {
  const lines = [`  -o, --output <format>      ${formats.join('|')} (default ${formats[0]}):`];
  for (const format of formats) {
    lines.push(`                             ${`${format}:`.padEnd(6)}${format === formats[0] && format !== 'text' ? `${FORMAT_HELP[format]} (the default)` : FORMAT_HELP[format]}`);
  }
  return lines.join('\n');
}

/**
 * The output format of a command line: `--output` when given (one of `formats`), else the
 * command's default (the first of `formats`). A {@link UsageError} naming the command and the
 * formats it prints for anything else.
 */
export function outputFormat(values: OptionValues, command: string, formats: readonly OutputFormat[]): OutputFormat {
  const value = values.output;
  if (value === undefined) return formats[0];
  const text = String(value);
  if ((formats as readonly string[]).includes(text)) return text as OutputFormat;
  const known = (OUTPUT_FORMATS as readonly string[]).includes(text);
  throw new UsageError(
    `--output ${JSON.stringify(text)}: ${known ? `${command} does not print ${text}` : 'unknown format'}; ${command} prints ${formats.join(', ')}`,
    command,
  );
}

/** Shows how far a long command got, on standard error. */
export interface Progress {
  /** Reports that `done` of `total` units of `what` are done (shown at most every 100 ms). */
  update(what: string, done: number, total: number): void;
  /** Clears the progress line. */
  done(): void;
}

/**
 * A progress display on standard error for `command`, or undefined when standard error is not a
 * terminal (piped output and CI logs stay clean).
 *
 * @param now the clock, in milliseconds (tests pass their own)
 */
export function progressOn(io: CliIo, command: string, now: () => number = Date.now): Progress | undefined {
  if (io.stderrIsTerminal !== true) return undefined;
  let last = -Infinity;
  let shown = false;
  return {
    update(what, done, total) {
      const t = now();
      if (t - last < 100 && done < total) return;
      last = t;
      shown = true;
      const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
      io.stderr(`\r\x1b[K${command}: ${what} ${done}/${total} (${percent}%)`);
    },
    done() {
      if (shown) io.stderr('\r\x1b[K');
      shown = false;
    },
  };
}

import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A usage error: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;
type WithHelp<O extends Options> = O & { help: { type: 'boolean'; short: 'h' } };
type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: WithHelp<O>; allowPositionals: true; strict: true }>
>;

/** Strict flag parsing (adds `-h/--help`): unknown flags and missing values are usage errors. */
export function parseCommandArgs<const O extends Options>(argv: string[], options: O): Parsed<O> {
  const withHelp = { ...options, help: { type: 'boolean', short: 'h' } } as WithHelp<O>;
  try {
    return parseArgs({ args: argv, options: withHelp, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** POSIX shell quoting. Every user value reaches a shell through here, never by concatenation. */
export function quote(arg: string): string {
  if (arg === '') return "''"
  if (/^[A-Za-z0-9_\-.,:/=@%+]+$/.test(arg)) return arg
  return `'${arg.replace(/'/g, `'\\''`)}'`
}

/** One shell command line from an argv array. */
export function shellJoin(argv: readonly string[]): string {
  return argv.map(quote).join(' ')
}

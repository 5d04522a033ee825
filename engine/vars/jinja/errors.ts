/** Errors the Jinja lexer and parser raise; the Templar turns them into E_TEMPLATE with the source. */
export class JinjaSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message)
  }
}

export const syntaxError = (message: string, line: number) => new JinjaSyntaxError(message, line)

/** The one error for a bad input: the message always starts by naming the input, so the fix is obvious. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(`input \`${input}\`: ${message}`);
    this.name = 'InputError';
  }
}

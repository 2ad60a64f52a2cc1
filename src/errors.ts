/**
 * Errors that cross a boundary carry a stable code (part of the API contract) and an HTTP status,
 * and keep their cause.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    options?: { cause?: unknown; details?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.details = options?.details;
  }
  readonly details: unknown;
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`, 404);

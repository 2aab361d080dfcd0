import type { FieldError } from '@sluice/contracts';

/** Domain errors; one exception filter maps them to HTTP. */
export class DomainError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errors?: FieldError[],
    /** Extra top-level fields of the reply body (e.g. `line`, `column`, `path` from the test panes). */
    readonly extra?: Record<string, unknown>,
    /** Response headers, e.g. Retry-After. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadInputError extends DomainError {
  constructor(message: string, errors?: FieldError[], extra?: Record<string, unknown>) {
    super(message, 400, errors, extra);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id: string) {
    super(`${what} '${id}' not found`, 404);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super(message, 409);
  }
}

export class TooManyRequestsError extends DomainError {
  constructor(message: string, retryAfterSeconds?: number) {
    super(message, 429, undefined, retryAfterSeconds === undefined ? undefined : { retryAfter: retryAfterSeconds }, retryAfterSeconds === undefined ? undefined : { 'Retry-After': String(retryAfterSeconds) });
  }
}

/** Bodies, results or inputs over a documented limit. */
export class PayloadTooLargeError extends DomainError {
  constructor(message: string, field = '(body)') {
    super(message, 413, [{ field, message }]);
  }
}

/** The server is at a documented capacity (e.g. test panes busy); try again shortly. */
export class ServiceBusyError extends DomainError {
  constructor(message: string, retryAfterSeconds = 1) {
    super(message, 503, undefined, { retryAfter: retryAfterSeconds }, { 'Retry-After': String(retryAfterSeconds) });
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = 'authentication required: send Authorization: Bearer <token> from POST /api/auth/login') {
    super(message, 401);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super(message, 403);
  }
}

/** A system Sluice depends on (Omnitron, an ERP) failed or answered badly. */
export class UpstreamError extends DomainError {
  constructor(message: string) {
    super(message, 502);
  }
}

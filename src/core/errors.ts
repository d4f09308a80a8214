/**
 * One error type for everything the caller (a client, a platform, a test) can
 * get wrong or that the system refuses on purpose. `code` is stable and
 * machine-readable; `status` is the HTTP status it maps to. Anything thrown
 * that is not a SwitchboardError is a bug and becomes a 500 with no details.
 */
export class SwitchboardError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, status = 400, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SwitchboardError';
    this.code = code;
    this.status = status;
  }
}

export const badRequest = (code: string, message: string): SwitchboardError =>
  new SwitchboardError(code, message, 400);

export const unauthorized = (message = 'Missing or invalid credentials.'): SwitchboardError =>
  new SwitchboardError('unauthorized', message, 401);

export const notFound = (code: string, message: string): SwitchboardError =>
  new SwitchboardError(code, message, 404);

export const conflict = (code: string, message: string): SwitchboardError =>
  new SwitchboardError(code, message, 409);

export const isSwitchboardError = (error: unknown): error is SwitchboardError =>
  error instanceof SwitchboardError;

import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isSwitchboardError } from '../core/errors.ts';
import type { Logger } from '../logger.ts';
import { isStoreUnavailableError, storeUnavailable } from '../store/store-errors.ts';

interface ErrorBody {
  error: { code: string; message: string };
}

const body = (code: string, message: string): ErrorBody => ({ error: { code, message } });

/** Errors raised by Express's body parsers carry a `type` and a `status`. */
interface BodyParserError {
  type: string;
  status: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as Partial<BodyParserError>).type === 'string' &&
    typeof (error as Partial<BodyParserError>).status === 'number'
  );
}

const BODY_PARSER_ERRORS: Record<string, { code: string; message: string }> = {
  'entity.parse.failed': { code: 'invalid_json', message: 'The request body is not valid JSON.' },
  'entity.too.large': { code: 'payload_too_large', message: 'The request body is too large.' },
  'encoding.unsupported': { code: 'unsupported_encoding', message: 'The request body encoding is not supported.' },
  'charset.unsupported': { code: 'unsupported_charset', message: 'The request body charset is not supported.' },
  'request.aborted': { code: 'request_aborted', message: 'The request was aborted.' },
};

/** Unknown routes: 404 in the API's error shape. */
export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json(body('route_not_found', `No route for ${req.method} ${req.path}.`));
};

/**
 * The one place errors become HTTP answers: SwitchboardErrors keep their code
 * and status, Redis being unreachable is 503 `store_unavailable`, body-parser
 * errors get readable codes, and anything else is a bug: logged with its
 * stack, answered 500 with nothing revealed.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (isSwitchboardError(error)) {
      res.status(error.status).json(body(error.code, error.message));
      return;
    }
    if (isStoreUnavailableError(error)) {
      // Redis is away: nothing could be kept, so nothing was accepted; platforms retry a 503.
      logger.warn({ err: error, method: req.method, path: req.path }, 'store unavailable: request refused');
      const unavailable = storeUnavailable();
      res.status(unavailable.status).set('Retry-After', '5').json(body(unavailable.code, unavailable.message));
      return;
    }
    if (isBodyParserError(error) && error.status >= 400 && error.status < 500) {
      const known = BODY_PARSER_ERRORS[error.type] ?? { code: 'bad_request', message: 'The request is malformed.' };
      res.status(error.status).json(body(known.code, known.message));
      return;
    }
    logger.error({ err: error, method: req.method, path: req.path }, 'unhandled error in request');
    res.status(500).json(body('internal_error', 'Something went wrong on our side.'));
  };
}

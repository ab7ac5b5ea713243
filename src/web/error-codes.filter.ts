import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';

const CODES: Record<number, string> = {
  [HttpStatus.BAD_REQUEST]: 'invalid_request',
  [HttpStatus.UNAUTHORIZED]: 'unauthorized',
  [HttpStatus.FORBIDDEN]: 'forbidden',
  [HttpStatus.NOT_FOUND]: 'not_found',
  [HttpStatus.METHOD_NOT_ALLOWED]: 'method_not_allowed',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'payload_too_large',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'unsupported_media_type',
  [HttpStatus.TOO_MANY_REQUESTS]: 'rate_limited',
};

/** The error body of an HTTP exception: as thrown when it already has a code, else `{ error: { code, message } }`. */
export function errorBody(status: number, response: string | object, cause?: unknown): object {
  if (typeof response === 'object' && typeof (response as { error?: { code?: unknown } }).error?.code === 'string') return response;
  // The body parser's and the router's own errors: said plainly, without quoting the parser's message.
  if (cause instanceof SyntaxError) return { error: { code: 'invalid_json', message: 'The request body is not valid JSON.' } };
  if (cause instanceof URIError) return { error: { code: 'invalid_request', message: 'The address is not validly percent-encoded.' } };
  const raw = typeof response === 'string' ? response : (response as { message?: unknown }).message;
  const message = Array.isArray(raw) ? raw.join('; ') : typeof raw === 'string' ? raw : HttpStatus[status] ?? 'error';
  return { error: { code: CODES[status] ?? (status >= 500 ? 'internal_error' : 'invalid_request'), message } };
}

/**
 * Every HTTP error as `{ error: { code, message } }`, like the API's own refusals: Nest's 404s, the body
 * parser's 400 and 413 included. Anything else is a 500 with a generic message; its stack goes to the
 * log, never to the client.
 */
@Catch()
export class ErrorCodesFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionsHandler');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status >= 500) this.logger.error(exception.stack ?? String(exception));
      if (!res.headersSent) res.status(status).json(errorBody(status, exception.getResponse(), exception.cause));
      return;
    }
    this.logger.error((exception as Error)?.stack ?? String(exception));
    if (!res.headersSent) {
      res.status(500).json({ error: { code: 'internal_error', message: 'Something went wrong on our side. Please try again.' } });
    } else res.end();
  }
}

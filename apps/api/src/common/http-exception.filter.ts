import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { ErrorResponse } from '@sluice/contracts';
import type { Request, Response } from 'express';
import { DomainError } from './errors.js';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict',
  413: 'Payload Too Large', 415: 'Unsupported Media Type', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
};

/** The one place errors become HTTP replies: a status, a message naming the problem, never a stack trace. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly log = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500) this.log.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    if (res.headersSent) return;
    if (exception instanceof DomainError && exception.headers) for (const [k, v] of Object.entries(exception.headers)) res.setHeader(k, v);
    // A refused request whose body was never read: close the connection rather than drain megabytes nobody wants.
    if (body.statusCode >= 400 && req && !req.complete && req.headers['content-length'] !== '0' && (req.headers['content-length'] || req.headers['transfer-encoding'])) res.setHeader('Connection', 'close');
    res.status(body.statusCode).json(body);
  }

  private toBody(e: unknown): ErrorResponse {
    const make = (statusCode: number, message: string, errors?: ErrorResponse['errors']): ErrorResponse => ({
      statusCode,
      error: STATUS_TEXT[statusCode] ?? 'Error',
      message,
      ...(errors?.length ? { errors } : {}),
    });
    if (e instanceof DomainError) return { ...make(e.status, e.message, e.errors), ...e.extra };
    if (e instanceof HttpException) {
      const r = e.getResponse();
      const message = typeof r === 'string' ? r : Array.isArray((r as { message?: unknown }).message) ? ((r as { message: string[] }).message.join('; ')) : String((r as { message?: unknown }).message ?? e.message);
      return make(e.getStatus(), message);
    }
    // body-parser failures carry `type` and `status`.
    const bp = e as { type?: string; status?: number; message?: string; limit?: number; length?: number };
    if (bp?.type === 'entity.parse.failed') return make(400, `malformed JSON body: ${bp.message}`, [{ field: '(body)', message: bp.message ?? 'malformed JSON' }]);
    if (bp?.type === 'entity.too.large') return make(413, `request body of ${bp.length} bytes exceeds this route's limit of ${bp.limit} bytes`, [{ field: '(body)', message: `larger than ${bp.limit} bytes` }]);
    if (bp?.type === 'encoding.unsupported' || bp?.type === 'charset.unsupported') return make(415, bp.message ?? 'unsupported encoding');
    if (typeof bp?.status === 'number' && bp.status >= 400 && bp.status < 500) return make(bp.status, bp.message ?? 'bad request');
    return make(500, 'internal error; see the server log');
  }
}

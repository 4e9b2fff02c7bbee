import http, { type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type Koa from 'koa';
import { AppError } from '../errors';
import { logger } from '../logger';

/** Longest request target (path and query) Koa is handed: longer is 414 before any routing. */
export const MAX_URL_LENGTH = 8 * 1024;

/** 414 for an over-long URL that still fit Node's header limit (16 KB); longer ones never reach Koa. */
export async function limitUrl(ctx: Koa.Context, next: Koa.Next): Promise<void> {
  if (ctx.url.length > MAX_URL_LENGTH) throw new AppError('URI_TOO_LONG', `请求地址过长（最多 ${MAX_URL_LENGTH} 个字符）`);
  await next();
}

const reasons: Record<number, string> = {
  400: 'Bad Request',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  414: 'URI Too Long',
  431: 'Request Header Fields Too Large',
};

/** What Node's HTTP parser refused, as one of our errors. */
function parserError(err: NodeJS.ErrnoException & { rawPacket?: Buffer }): AppError {
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    // The packet holds the request line, and that line alone is over our URL limit: the URL is
    // what is too long. Otherwise the header fields are.
    const packet = err.rawPacket?.subarray(0, 64 * 1024).toString('latin1') ?? '';
    const lineEnd = packet.indexOf('\r\n');
    const urlTooLong = /^[A-Z]+ \S/.test(packet) && (lineEnd < 0 || lineEnd > MAX_URL_LENGTH);
    return urlTooLong
      ? new AppError('URI_TOO_LONG', `请求地址过长（最多 ${MAX_URL_LENGTH} 个字符）`)
      : new AppError('HEADERS_TOO_LARGE', '请求头过大');
  }
  if (err.code === 'HPE_INVALID_METHOD') return new AppError('METHOD_NOT_ALLOWED', '不支持的请求方法');
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return new AppError('REQUEST_TIMEOUT', '请求超时');
  return new AppError('MALFORMED_REQUEST', '请求格式有误');
}

/**
 * Node answers requests its parser refuses (a 431 for oversized headers, a 400 for a garbage
 * method) by itself, with no body and no Content-Type. This answers them with the same JSON error
 * body as every other error, then closes the connection (the parser cannot resume after an error).
 */
export function answerClientError(err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex): void {
  // As Node's own handler: never write into a response already under way on this socket.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
  if (err.code === 'ECONNRESET' || !socket.writable || inFlight) {
    socket.destroy();
    return;
  }
  const e = parserError(err);
  logger.info({ code: err.code, status: e.status }, 'client error');
  answerRaw(socket, e);
}

/** Writes one of our errors straight onto a socket that Koa never sees, then closes it. */
function answerRaw(socket: Duplex, e: AppError, headers = ''): void {
  const body = JSON.stringify({ error: { code: e.code, message: e.message } });
  socket.end(
    `HTTP/1.1 ${e.status} ${reasons[e.status] ?? 'Bad Request'}\r\n` +
      `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${headers}Connection: close\r\n\r\n${body}`,
  );
}

/**
 * CONNECT never reaches the request handler: Node hands it to 'connect' listeners and, with none,
 * drops the connection without a word. We tunnel nothing, so it gets the same JSON 405 as any other
 * method a path does not take.
 */
export function refuseConnect(_req: http.IncomingMessage, socket: Duplex): void {
  if (!socket.writable) return void socket.destroy();
  answerRaw(
    socket,
    new AppError('METHOD_NOT_ALLOWED', '不支持 CONNECT 请求（本服务不做代理）'),
    'Allow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS\r\n',
  );
}

/** Listens like `app.listen`, with parser errors answered as JSON. */
export function listen(app: Koa, port: number, host: string): Server {
  const server = http.createServer(app.callback());
  server.on('clientError', answerClientError);
  server.on('connect', refuseConnect);
  return server.listen(port, host);
}

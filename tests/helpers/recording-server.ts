/**
 * A local HTTP server for hostile-input tests: it answers with a handler and records every request
 * with its headers, so that a test can tell which host received which credentials. Several can
 * run on different loopback names (127.0.0.1, 127.0.0.2, localhost): to fetch, those are
 * different hosts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the server received it. */
export interface ReceivedRequest {
  method: string;
  /** Path and query. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface RecordingServer {
  /** `http://<address>:<port>` as started. */
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** Bytes written by the handler's streams, for tests of bodies without end. */
  written: { bytes: number };
  close(): Promise<void>;
}

export type Handler = (
  request: IncomingMessage,
  response: ServerResponse,
  server: RecordingServer,
) => void | Promise<void>;

/** Start a recording server on `address` (default 127.0.0.1) and a free port. */
export async function startRecordingServer(
  handler: Handler,
  address = '127.0.0.1',
): Promise<RecordingServer> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    requests.push({
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      headers: request.headers,
    });
    Promise.resolve(handler(request, response, self)).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500);
      response.end(String(error));
    });
  });
  const self: RecordingServer = {
    url: '',
    port: 0,
    requests,
    written: { bytes: 0 },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  self.port = (server.address() as AddressInfo).port;
  self.url = `http://${address}:${self.port}`;
  return self;
}

/**
 * Stream a body without end (no Content-Length) in 64 KiB chunks, honouring backpressure, until
 * the client goes away; counts what was written in `server.written`.
 */
export function streamForever(response: ServerResponse, server: RecordingServer): void {
  const chunk = Buffer.alloc(64 << 10, 0x20);
  response.writeHead(200, { 'content-type': 'application/json' });
  const write = (): void => {
    while (!response.destroyed) {
      server.written.bytes += chunk.length;
      if (!response.write(chunk)) {
        response.once('drain', write);
        return;
      }
    }
  };
  response.on('close', () => response.removeAllListeners('drain'));
  write();
}

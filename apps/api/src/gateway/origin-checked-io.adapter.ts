import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { IncomingMessage } from 'node:http';
import type { Server, ServerOptions } from 'socket.io';

/**
 * socket.io that only accepts browsers from the server's own origin (or one configured in SLUICE_ALLOWED_ORIGINS).
 * Clients that send no Origin are not browsers and carry no ambient credentials: they still need a token.
 */
export class OriginCheckedIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly allowedOrigins: readonly string[],
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    return super.createIOServer(port, {
      ...options,
      cors: { origin: false },
      allowRequest: (req, callback) => {
        const ok = originAllowed(req, this.allowedOrigins);
        callback(ok ? null : 'origin not allowed', ok);
      },
    } as ServerOptions) as Server;
  }
}

export function originAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

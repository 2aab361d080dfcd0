import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type pg from 'pg';
import type { Server, ServerOptions } from 'socket.io';

/**
 * socket.io that only accepts browsers from the server's own origin (or one configured in SLUICE_ALLOWED_ORIGINS).
 * Clients that send no Origin are not browsers and carry no ambient credentials: they still need a token.
 */
export class OriginCheckedIoAdapter extends IoAdapter {
  private pool: pg.Pool | null = null;

  /** `clusterDatabase`: in cluster mode, events emitted on any node reach the sockets of every node (LISTEN/NOTIFY). */
  constructor(
    app: INestApplicationContext,
    private readonly allowedOrigins: readonly string[],
    private readonly clusterDatabase: string | null = null,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = this.createOriginChecked(port, options);
    if (this.clusterDatabase) {
      // Loaded in cluster mode only, as the membership's client is.
      const require = createRequire(import.meta.url);
      const { createAdapter } = require('@socket.io/postgres-adapter') as typeof import('@socket.io/postgres-adapter');
      this.pool = new (require('pg') as typeof pg).Pool({ connectionString: this.clusterDatabase, max: 2 });
      this.pool.on('error', () => undefined);
      server.adapter(createAdapter(this.pool, { channelPrefix: 'sluice_io' }));
    }
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    await this.pool?.end().catch(() => undefined);
    this.pool = null;
  }

  private createOriginChecked(port: number, options?: ServerOptions): Server {
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

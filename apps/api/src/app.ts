import 'reflect-metadata';
import { Logger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppModule } from './app.module.js';
import { HttpExceptionFilter } from './common/http-exception.filter.js';
import type { AppConfig } from './config/app-config.js';
import { OriginCheckedIoAdapter } from './gateway/origin-checked-io.adapter.js';
import { checkDatabase } from './persistence/database-check.js';
import { secureDataFiles } from './persistence/data-files.js';
import { RedactingLogger } from './secrets/redacting-logger.js';
import { SecretRegistry } from './secrets/secret-registry.js';

const LEVELS: Record<AppConfig['logLevel'], LogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  log: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
};

/** Builds the whole server (REST under /api, socket.io, the web app) without listening, so tests and main share it. */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  await checkDatabase(config);
  secureDataFiles(config);
  const secrets = new SecretRegistry();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, secrets), {
    logger: new RedactingLogger(secrets, LEVELS[config.logLevel]),
    // Bodies are read by AuthGuard, after the caller is authenticated and with the route's own limit.
    bodyParser: false,
    // Startup errors reach the caller (main exits with a message) instead of aborting the process.
    abortOnError: false,
  });
  app.set('trust proxy', config.trustProxy);
  app.use(securityHeaders());
  app.useWebSocketAdapter(new OriginCheckedIoAdapter(app, config.allowedOrigins, config.cluster.enabled && config.database.type === 'postgres' ? config.database.url : null));
  app.setGlobalPrefix('api');
  app.useGlobalFilters(new HttpExceptionFilter());
  app.enableShutdownHooks();
  app.disable('x-powered-by');

  if (config.apiDocs) {
    const openApi = new DocumentBuilder()
      .setTitle('Sluice API')
      .setDescription('Flows, engine control, test panes, executions and Integrator endpoints.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'flow-api-key')
      .build();
    SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openApi));
  }

  if (config.webDir && existsSync(join(config.webDir, 'index.html'))) serveWeb(app, config.webDir);
  return app;
}

/** CSP (no framing, scripts only from this origin), nosniff, no referrer; HSTS only on requests that came over TLS. */
function securityHeaders(): express.RequestHandler {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'base-uri': ["'self'"],
        'script-src': ["'self'"],
        // React Flow and Monaco set inline styles.
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'font-src': ["'self'", 'data:'],
        'worker-src': ["'self'", 'blob:'],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'frame-ancestors': ["'none'"],
        'form-action': ["'self'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
  const hsts = helmet.strictTransportSecurity({ maxAge: 31_536_000, includeSubDomains: true });
  return (req, res, next) => headers(req, res, () => (req.secure ? hsts(req, res, next) : next()));
}

/** The built web app from the same port; unknown non-API paths fall back to index.html for client-side routes. */
function serveWeb(app: NestExpressApplication, webDir: string): void {
  app.useStaticAssets(webDir, { index: false, maxAge: '1h' });
  const index = join(webDir, 'index.html');
  app.use((req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (req.method !== 'GET' || req.path.startsWith('/api') || req.path.startsWith('/socket.io')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}

export async function listen(app: NestExpressApplication, config: AppConfig): Promise<string> {
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://${config.host}:${address.port}`;
  new Logger('Sluice').log(`listening on ${url}${config.apiDocs ? ` (API docs at ${url}/api/docs)` : ''}`);
  return url;
}

import 'reflect-metadata';
import { Logger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppModule } from './app.module.js';
import { HttpExceptionFilter } from './common/http-exception.filter.js';
import type { AppConfig } from './config/app-config.js';
import { checkDatabase } from './persistence/database-check.js';

const LEVELS: Record<AppConfig['logLevel'], LogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  log: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
};

/** Builds the whole server (REST under /api, socket.io, the web app) without listening, so tests and main share it. */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  await checkDatabase(config);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: LEVELS[config.logLevel],
    bodyParser: false,
    // Startup errors reach the caller (main exits with a message) instead of aborting the process.
    abortOnError: false,
  });
  app.use('/api', express.json({ limit: config.maxBody, type: ['application/json', 'application/*+json'] }));
  app.use('/api', express.text({ limit: config.maxBody, type: ['text/*', 'application/csv'] }));
  app.setGlobalPrefix('api');
  app.useGlobalFilters(new HttpExceptionFilter());
  app.enableShutdownHooks();
  app.disable('x-powered-by');

  const openApi = new DocumentBuilder()
    .setTitle('Sluice API')
    .setDescription('Flows, engine control, test panes, executions and Integrator endpoints.')
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openApi));

  if (config.webDir && existsSync(join(config.webDir, 'index.html'))) serveWeb(app, config.webDir);
  return app;
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
  new Logger('Sluice').log(`listening on ${url} (API docs at ${url}/api/docs)`);
  return url;
}

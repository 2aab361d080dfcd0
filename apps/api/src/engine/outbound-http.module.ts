import { Module } from '@nestjs/common';
import { HTTP_CLIENT, UndiciHttpClient } from './undici-http.client.js';

/** One outbound HTTP client (and its connection pools) for processors, scripts, test panes and fetch-missing. */
@Module({ providers: [{ provide: HTTP_CLIENT, useFactory: () => new UndiciHttpClient() }], exports: [HTTP_CLIENT] })
export class OutboundHttpModule {}

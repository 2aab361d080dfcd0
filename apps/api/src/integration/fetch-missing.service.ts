import { Inject, Injectable } from '@nestjs/common';
import type { FlowDocument, IntegrationSettings, ProcessorConfig } from '@sluice/contracts';
import { evaluateExpression } from '@sluice/expression';
import { exposedProperty, hasRole, HttpTransportError, type HttpClient, type ProcessorRole } from '@sluice/flow-api';
import { getProcessor } from '@sluice/processors';
import { BadInputError, UpstreamError } from '../common/errors.js';
import { HTTP_CLIENT } from '../engine/undici-http.client.js';

const PAGE_SIZE = 500;
/** A runaway `next` chain must not pin the scheduler. */
const MAX_PAGES = 200;
const TIMEOUT_MS = 30_000;

interface OmnitronAccess {
  domain: string;
  username: string;
  password: string;
}

/**
 * Finds products Omnitron productized recently that still lack stock in the flow's stock list (stock flows)
 * or images (image flows), using the credentials of the flow's login step.
 */
@Injectable()
export class FetchMissingService {
  constructor(@Inject(HTTP_CLIENT) private readonly http: HttpClient) {}

  async missingSkus(doc: FlowDocument, settings: IntegrationSettings): Promise<string[]> {
    const access = this.access(doc);
    const token = await this.login(access);
    const since = new Date(Date.now() - settings.fetchMissing.productizationDateLimitDays * 86_400_000).toISOString();
    const query = new URLSearchParams({ productized_date__gte: since, limit: String(PAGE_SIZE) });
    if (settings.kind === 'image') query.set('missing_images', 'true');
    else query.set('missing_stock_list', this.stockListId(doc));

    const path = settings.fetchMissing.omnitronIdentifierPath.split('.').filter(Boolean);
    const skus = new Set<string>();
    let url: string | null = `${access.domain}/api/v1/products/?${query}`;
    for (let page = 0; url && page < MAX_PAGES; page++) {
      const body = await this.getJson(url, token);
      const results = Array.isArray(body.results) ? body.results : [];
      for (const product of results) {
        const value = path.reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), product);
        if (typeof value === 'string' && value !== '') skus.add(value);
        else if (typeof value === 'number') skus.add(String(value));
      }
      url = typeof body.next === 'string' && body.next !== '' ? body.next : null;
    }
    return [...skus];
  }

  private access(doc: FlowDocument): OmnitronAccess {
    const login = stepWith(doc, 'login');
    if (!login) {
      throw new BadInputError(`flow '${doc.name}' has no login step, so fetch missing cannot reach Omnitron`, [
        { field: 'processors', message: 'a login processor (such as IntegratorLogin) is required for fetch missing' },
      ]);
    }
    const value = (meaning: string, expression = true): string => {
      const name = exposedName(login, meaning);
      const raw = login.properties[name] ?? '';
      // Like the engine: values without expression support only get #{parameter} references replaced.
      if (!expression) return raw.replace(/#\{([^}]+)\}/g, (whole, p: string) => doc.parameters[p.trim()] ?? whole);
      try {
        return evaluateExpression(raw, { attributes: {}, parameters: doc.parameters, timeZone: doc.integration?.timeZone });
      } catch (e) {
        throw new BadInputError(`${login.name}: '${name}' cannot be evaluated: ${(e as Error).message}`, [{ field: `processors.${login.id}.properties.${name}`, message: (e as Error).message }]);
      }
    };
    const domain = value('target.url').replace(/\/+$/, '');
    if (!/^https?:\/\//.test(domain)) {
      const url = exposedName(login, 'target.url');
      throw new BadInputError(`${login.name}: '${url}' must be an http(s) URL`, [{ field: `processors.${login.id}.properties.${url}`, message: 'not an http(s) URL' }]);
    }
    return { domain, username: value('target.username'), password: value('target.password', false) };
  }

  private stockListId(doc: FlowDocument): string {
    const writer = stepWith(doc, 'row-writer');
    const name = writer && exposedName(writer, 'target.list');
    const id = name ? writer.properties[name]?.trim() : undefined;
    if (!id) {
      throw new BadInputError(`flow '${doc.name}' has no Omnitron stock list ID, which fetch missing needs to find SKUs without stock`, [
        { field: `processors.${writer?.id ?? '(writer)'}.properties.${name ?? 'Stock List ID'}`, message: 'required for fetch missing' },
      ]);
    }
    return evaluateExpression(id, { attributes: {}, parameters: doc.parameters });
  }

  private async login(access: OmnitronAccess): Promise<string> {
    const res = await this.send({
      method: 'POST',
      url: `${access.domain}/api/v1/auth/login/`,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ username: access.username, password: access.password }),
    });
    const body = parse(res.body);
    if (res.status !== 200 || typeof body?.key !== 'string') {
      throw new UpstreamError(`Omnitron login failed (HTTP ${res.status}): ${snippet(res.body)}`);
    }
    return body.key;
  }

  private async getJson(url: string, token: string): Promise<{ results?: unknown[]; next?: unknown }> {
    const res = await this.send({ method: 'GET', url, headers: { authorization: `Token ${token}`, accept: 'application/json' } });
    const body = parse(res.body);
    if (res.status !== 200 || body === null || typeof body !== 'object') {
      throw new UpstreamError(`Omnitron product query failed (HTTP ${res.status}): ${snippet(res.body)}`);
    }
    return body as { results?: unknown[]; next?: unknown };
  }

  private async send(req: Parameters<HttpClient['request']>[0]) {
    try {
      return await this.http.request({ ...req, timeoutMs: TIMEOUT_MS });
    } catch (e) {
      if (e instanceof HttpTransportError) throw new UpstreamError(`Omnitron is unreachable at ${req.url}: ${e.message}`);
      throw e;
    }
  }
}

/** The flow's first step whose descriptor declares the role. */
function stepWith(doc: FlowDocument, role: ProcessorRole): ProcessorConfig | undefined {
  return doc.processors.find((p) => {
    const d = getProcessor(p.type)?.descriptor;
    return d !== undefined && hasRole(d, role);
  });
}

/** The name of the step's property a host reads by this meaning; '' when its descriptor exposes none. */
function exposedName(step: ProcessorConfig, meaning: string): string {
  return exposedProperty(getProcessor(step.type)!.descriptor, meaning)?.name ?? '';
}

function parse(bytes: Uint8Array): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function snippet(bytes: Uint8Array): string {
  const text = new TextDecoder().decode(bytes.subarray(0, 300));
  return text || '(empty body)';
}

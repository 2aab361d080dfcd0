import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@sluice/contracts';
import type { Request, Response } from 'express';
import { BadInputError, ForbiddenError, UnauthorizedError } from '../common/errors.js';
import { BODY_LIMIT, BODY_LIMITS, type BodyLimitValue, RAW_BODY, readBody, readRawBody } from '../common/request-body.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { API_KEY_PREFIX, ApiKeysService } from './api-keys.service.js';
import { AuthService } from './auth.service.js';
import { type AuthUser, FLOW_API_KEY, IS_PUBLIC, MIN_ROLE, ROLE_RANK } from './roles.js';

export type AuthedRequest = Request & { user: AuthUser };

/**
 * Every REST route needs a bearer token unless marked @Public(); reads need viewer, writes editor by default.
 * The body is read here, after authentication and the role check, with the route's limit: an anonymous caller
 * cannot make the server buffer a large body.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly apiKeys: ApiKeysService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const res = ctx.switchToHttp().getResponse<Response>();
    refuseNul(req);
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      await readBody(req, res, BODY_LIMITS.public);
      return true;
    }
    req.user = await this.authenticate(req, this.reflector.getAllAndOverride<string>(FLOW_API_KEY, targets));
    const required = this.reflector.getAllAndOverride<Role>(MIN_ROLE, targets) ?? (req.method === 'GET' || req.method === 'HEAD' ? 'viewer' : 'editor');
    if (ROLE_RANK[req.user.role] < ROLE_RANK[required]) {
      throw new ForbiddenError(`this action needs the '${required}' role; you are '${req.user.role}'`);
    }
    const limit = this.reflector.getAllAndOverride<BodyLimitValue>(BODY_LIMIT, targets) ?? BODY_LIMITS.default;
    const read = this.reflector.getAllAndOverride<boolean>(RAW_BODY, targets) ? readRawBody : readBody;
    await read(req, res, limit === 'outbound' ? this.config.maxBody : limit);
    return true;
  }

  private async authenticate(req: Request, apiKeyParam: string | undefined): Promise<AuthUser> {
    const header = req.headers.authorization;
    const apiKey = req.headers['x-api-key'];
    if (apiKey !== undefined || (header && /^Bearer\s+slk_/i.test(header))) {
      const key = typeof apiKey === 'string' ? apiKey.trim() : /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim();
      if (!key || !key.startsWith(API_KEY_PREFIX)) throw new UnauthorizedError('X-API-Key must hold one API key (slk_…)');
      if (!apiKeyParam) throw new UnauthorizedError('API keys authenticate only POST /api/outbound/:flowId; use a bearer token from POST /api/auth/login here');
      return this.apiKeys.verify(key, req.params[apiKeyParam] as string | undefined);
    }
    if (!header) throw new UnauthorizedError();
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (!m) throw new UnauthorizedError('the Authorization header must be "Bearer <token>"');
    return this.auth.verify(m[1]!.trim());
  }
}

/** Postgres cannot hold U+0000 in text: an id or filter with one is refused before it reaches a query. */
function refuseNul(req: Request): void {
  const check = (where: string, values: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(values)) {
      if ((typeof v === 'string' && v.includes('\u0000')) || (Array.isArray(v) && v.some((x) => typeof x === 'string' && x.includes('\u0000')))) {
        throw new BadInputError(`${where} '${k}' contains a NUL character (U+0000)`, [{ field: k, message: 'contains U+0000' }]);
      }
    }
  };
  check('path parameter', req.params ?? {});
  check('query parameter', (req.query ?? {}) as Record<string, unknown>);
}

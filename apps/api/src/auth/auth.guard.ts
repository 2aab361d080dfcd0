import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@sluice/contracts';
import type { Request } from 'express';
import { ForbiddenError, UnauthorizedError } from '../common/errors.js';
import { AuthService } from './auth.service.js';
import { type AuthUser, IS_PUBLIC, MIN_ROLE, ROLE_RANK } from './roles.js';

export type AuthedRequest = Request & { user: AuthUser };

/** Every REST route needs a bearer token unless marked @Public(); reads need viewer, writes editor by default. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const header = req.headers.authorization;
    if (!header) throw new UnauthorizedError();
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (!m) throw new UnauthorizedError('the Authorization header must be "Bearer <token>"');
    req.user = await this.auth.verify(m[1]!.trim());
    const required = this.reflector.getAllAndOverride<Role>(MIN_ROLE, targets) ?? (req.method === 'GET' || req.method === 'HEAD' ? 'viewer' : 'editor');
    if (ROLE_RANK[req.user.role] < ROLE_RANK[required]) {
      throw new ForbiddenError(`this action needs the '${required}' role; you are '${req.user.role}'`);
    }
    return true;
  }
}

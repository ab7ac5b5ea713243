import {
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  createParamDecorator,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { tokenFrom } from './auth.controller.js';
import { StaffService, type Role, type StaffMember } from './staff.service.js';

/** The roles an API route (or a whole controller) admits; without it, any signed-in staff member. */
export const Roles = Reflector.createDecorator<Role[]>();

/** The signed-in staff member, in a handler guarded by StaffAuthGuard. */
export const CurrentStaff = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): StaffMember => ctx.switchToHttp().getRequest<Request & { staff: StaffMember }>().staff,
);

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Signs in every `/api` request from `Authorization: Bearer <token>` or the console's `kap_staff`
 * cookie, checks the route's roles, and protects cookie-authenticated changes from cross-site requests:
 * the cookie is `SameSite=Strict`, and a state-changing request that relies on it must also be sent
 * as JSON (`Content-Type: application/json`, which a cross-site form cannot send and a cross-site
 * script cannot send without a CORS preflight this server never grants) and, when the browser says
 * where it comes from (`Origin`), from this server's own host. Bearer tokens are never sent by a
 * browser on its own, so they need neither.
 */
@Injectable()
export class StaffAuthGuard implements CanActivate {
  constructor(
    @Inject(StaffService) private readonly staff: StaffService,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<Request & { staff?: StaffMember }>();
    const member = await this.staff.authenticate(tokenFrom(req.headers));
    if (!member) throw new UnauthorizedException({ error: { code: 'unauthorized', message: 'Sign in first.' } });
    const byCookie = !/^Bearer\s/i.test(req.headers.authorization ?? '');
    if (byCookie && !SAFE_METHODS.has(req.method)) checkSameSite(req);
    const roles = this.reflector.getAllAndOverride(Roles, [ctx.getHandler(), ctx.getClass()]);
    if (roles && !roles.includes(member.role)) {
      throw new ForbiddenException({ error: { code: 'forbidden', message: `This needs the ${roles.join(' or ')} role.` } });
    }
    req.staff = member;
    return true;
  }
}

/** The host of an Origin header ("null" and garbage count as foreign). */
function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

function checkSameSite(req: Request): void {
  const json = /^application\/json\b/i.test(req.headers['content-type'] ?? '');
  const origin = req.headers.origin;
  // Compared by host: behind a TLS-terminating proxy the scheme seen here may differ from the browser's.
  if (!json || (origin !== undefined && originHost(origin) !== req.headers.host)) {
    throw new ForbiddenException({
      error: { code: 'csrf', message: 'Send changes as JSON (Content-Type: application/json) from the console itself.' },
    });
  }
}

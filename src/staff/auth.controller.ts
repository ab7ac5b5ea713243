import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  Post,
  Req,
  Res,
  UnauthorizedException,
  BadRequestException,
  HttpException,
  HttpStatus,
} from '@nestjs/common';
import { parseCookie, stringifySetCookie } from 'cookie';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { AuditLog } from '../escalation/audit-log.js';
import { LoginThrottle } from './login-throttle.js';
import { StaffService } from './staff.service.js';
import { safeParse } from '../validation/safe-parse.js';

export const STAFF_COOKIE = 'kap_staff';

const loginSchema = z.object({ email: z.string().trim().min(3).max(200), password: z.string().min(1).max(200) }).strict();

/** The token a request carries: `Authorization: Bearer <token>` or the console's cookie. */
export function tokenFrom(headers: { authorization?: string; cookie?: string }): string | undefined {
  const bearer = headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) return bearer;
  return headers.cookie ? parseCookie(headers.cookie)[STAFF_COOKIE] : undefined;
}

/**
 * Staff sign-in. Guessing is throttled per address and slowed per account (LoginThrottle): the attacker
 * is refused, the account holder never is. Every sign-in and sign-out goes to the audit log.
 */
@Controller('api/auth')
export class AuthController {
  constructor(
    @Inject(StaffService) private readonly staff: StaffService,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
  ) {}

  @Post('login')
  @HttpCode(200)
  async login(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const parsed = safeParse(loginSchema, body);
    if (!parsed.success)
      throw new BadRequestException({ error: { code: 'invalid_request', message: 'expected { email, password }' } });
    const { email, password } = parsed.data;
    const address = req.ip ?? 'unknown';
    const account = email.toLowerCase();
    const verdict = await this.throttle.check(address, account);
    if (verdict.refused) {
      res.setHeader('Retry-After', String(verdict.retryAfterSeconds));
      throw new HttpException(
        { error: { code: 'rate_limited', message: 'Too many failed attempts from this address. Try again later.' } },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    if (verdict.delayMs) await new Promise((resolve) => setTimeout(resolve, verdict.delayMs));
    const session = await this.staff.login(email, password);
    if (!session) {
      await this.throttle.failed(address, account);
      throw new UnauthorizedException({ error: { code: 'invalid_credentials', message: 'Email or password is not right.' } });
    }
    await this.throttle.succeeded(address, account);
    await this.audit.record({ staffId: session.member.id, action: 'login', detail: { ip: req.ip } });
    res.setHeader(
      'Set-Cookie',
      stringifySetCookie({
        name: STAFF_COOKIE,
        value: session.token,
        httpOnly: true,
        sameSite: 'strict',
        secure: req.secure,
        path: '/',
        expires: new Date(session.expiresAt),
      }),
    );
    return { token: session.token, expiresAt: session.expiresAt, role: session.member.role };
  }

  /** Who the request's session belongs to (the console asks on load): 401 when there is none. */
  @Get('session')
  @Header('Cache-Control', 'no-store')
  async current(@Req() req: Request) {
    const session = await this.staff.session(tokenFrom(req.headers));
    if (!session) throw new UnauthorizedException({ error: { code: 'unauthorized', message: 'Sign in first.' } });
    const { id, email, role } = session.member;
    return { member: { id, email, role }, expiresAt: session.expiresAt };
  }

  @Post('logout')
  @HttpCode(200)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const token = tokenFrom(req.headers);
    const member = await this.staff.authenticate(token);
    if (token) await this.staff.logout(token);
    if (member) await this.audit.record({ staffId: member.id, action: 'logout' });
    res.setHeader(
      'Set-Cookie',
      stringifySetCookie({ name: STAFF_COOKIE, value: '', httpOnly: true, sameSite: 'strict', path: '/', maxAge: 0 }),
    );
    return { ok: true };
  }
}

import path from 'node:path';
import { Controller, Get, NotFoundException, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { resolveFromRoot } from '../paths.js';
import { HASHED_FILE, SAFE_FILE, sendStatic } from '../web/static-file.js';

const CONSOLE_DIR = resolveFromRoot('client/console/dist');

/**
 * The staff console's policy: its own scripts and styles only (no inline script or style, no eval), its
 * own origin for the API and socket.io, and Trusted Types enforced with one policy allowed,
 * `kap-preview`, which the console creates once and which accepts only reply HTML that arrived from the
 * preview and question-tester endpoints (client/console/src/reply-html.ts). No other string can reach an
 * HTML sink such as innerHTML, and no second policy can be created: visitor text can only ever be text.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  'trusted-types kap-preview',
].join('; ');

/**
 * Serves the staff console (client/console/, built by client/build.mjs) at /console: the page at
 * /console (and /console/, where a page's `#flag=<id>` link lands) and its content-hashed files.
 */
@Controller('console')
export class ConsoleController {
  @Get()
  page(@Req() req: Request, @Res() res: Response): void {
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    // Always fresh (it names the current bundle), and never kept after sign-out.
    sendStatic(req, res, path.join(CONSOLE_DIR, 'index.html'), 'no-store');
  }

  @Get(':file')
  file(@Param('file') file: string, @Req() req: Request, @Res() res: Response): void {
    if (!SAFE_FILE.test(file) || !HASHED_FILE.test(file)) throw new NotFoundException();
    sendStatic(req, res, path.join(CONSOLE_DIR, file), 'public, max-age=31536000, immutable');
  }
}

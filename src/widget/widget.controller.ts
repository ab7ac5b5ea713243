import path from 'node:path';
import { Controller, Get, Inject, NotFoundException, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config.js';
import { LOCALES } from '../knowledge/entry.schema.js';
import { resolveFromRoot } from '../paths.js';
import { originAllowed } from '../realtime/origins.js';
import { HASHED_FILE, SAFE_FILE, sendStatic } from '../web/static-file.js';

const WIDGET_DIR = resolveFromRoot('client/widget/dist');
const DEMO_DIR = resolveFromRoot('client/demo');
/** The demo page runs under a strict policy, to show the widget needs no inline script or style. */
const DEMO_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self' ws: wss:",
  "img-src 'self' data:",
  "font-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/**
 * Serves the embeddable widget (a small loader at /widget.js that fetches the content-hashed app
 * from /widget/ on first use), its configuration, and the demo clinic page at /.
 */
@Controller()
export class WidgetController {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  @Get('widget.js')
  loader(@Req() req: Request, @Res() res: Response): void {
    // The loader's URL is fixed in every clinic's snippet: short cache, revalidated by ETag.
    this.send(req, res, path.join(WIDGET_DIR, 'widget.js'), 'public, max-age=300');
  }

  @Get('widget/:file')
  widgetFile(@Param('file') file: string, @Req() req: Request, @Res() res: Response): void {
    if (!SAFE_FILE.test(file)) throw new NotFoundException();
    // Content-hashed names never change content: cache them for a year.
    const hashed = HASHED_FILE.test(file);
    this.send(req, res, path.join(WIDGET_DIR, file), hashed ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
  }

  /** Read by the widget on the clinic's own site: CORS allows the same origins as the socket. */
  @Get('api/widget/config')
  widgetConfig(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const origin = req.headers.origin;
    res.setHeader('Vary', 'Origin');
    if (origin && originAllowed(origin, req.headers.host, this.config.get('ALLOWED_ORIGINS')))
      res.setHeader('Access-Control-Allow-Origin', origin);
    const { name, phone, email, url, hours } = this.config.clinic;
    return { clinic: { name, phone, email, url, hours }, locales: LOCALES };
  }

  @Get()
  demo(@Req() req: Request, @Res() res: Response): void {
    this.demoFile('index.html', req, res);
  }

  @Get(':file')
  demoFile(@Param('file') file: string, @Req() req: Request, @Res() res: Response): void {
    if (!SAFE_FILE.test(file)) throw new NotFoundException();
    res.setHeader('Content-Security-Policy', DEMO_CSP);
    this.send(req, res, path.join(DEMO_DIR, file), 'no-cache');
  }

  private send(req: Request, res: Response, file: string, cacheControl: string): void {
    sendStatic(req, res, file, cacheControl);
  }
}

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { NotFoundException } from '@nestjs/common';
import type { Request, Response } from 'express';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json; charset=utf-8',
};

/** A built file's name: letters, digits, dots and dashes with a known extension (no paths). */
export const SAFE_FILE = /^[\w.-]+\.(js|css|json|map|html|svg|png)$/;

/** Content-hashed names (`app.<hash>.js`) never change content. */
export const HASHED_FILE = /\.[0-9a-f]{8,}\.(js|css)$/i;

/** Sends a file from disk with its type, a cache policy and an ETag (304 when the client has it). */
export function sendStatic(req: Request, res: Response, file: string, cacheControl: string): void {
  // A file that is not there is not found, whatever the reason (a stale hash, a client not built yet).
  if (!existsSync(file)) throw new NotFoundException();
  const body = readFileSync(file);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  res.setHeader('Content-Type', TYPES[path.extname(file)] ?? 'application/octet-stream');
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('ETag', etag);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (req.headers['if-none-match'] === etag) {
    res.status(304).end();
    return;
  }
  res.status(200).send(body);
}

#!/usr/bin/env node
// Builds the embeddable widget into client/widget/dist/ (or the folder given with --outdir), and the staff
// console into client/console/dist/ (see client/console/build.mjs; not when --outdir builds the widget alone):
//   widget.js          the small loader clinics embed (IIFE)
//   app.<hash>.js      the rest of the widget, socket.io-client included (IIFE, content-hashed)
//   manifest.json      { "loader": "widget.js", "app": "app.<hash>.js" }
// Minified ES2020, no source maps, deterministic: the same sources always give the same bytes.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { buildConsole } from './console/build.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const src = path.join(here, 'widget', 'src');
const outArg = process.argv.indexOf('--outdir');
const outdir = outArg > 0 ? path.resolve(process.argv[outArg + 1]) : path.join(here, 'widget', 'dist');

const common = {
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  platform: 'browser',
  charset: 'utf8',
  legalComments: 'none',
  sourcemap: false,
  write: false,
  logLevel: 'warning',
  absWorkingDir: here,
  define: { 'process.env.NODE_ENV': '"production"' },
};

async function bundle(entry, define = {}) {
  const result = await esbuild.build({
    ...common,
    entryPoints: [path.join(src, entry)],
    define: { ...common.define, ...define },
  });
  return result.outputFiles[0].text;
}

const css = (
  await esbuild.transform(readFileSync(path.join(src, 'loader', 'widget.css'), 'utf8'), {
    loader: 'css',
    minify: true,
    target: 'chrome100',
  })
).code.trim();

const app = await bundle('app/index.ts');
const appFile = `app.${createHash('sha256').update(app).digest('hex').slice(0, 12)}.js`;
const loader = await bundle('loader/index.ts', {
  __KAPCHAT_APP__: JSON.stringify(appFile),
  __KAPCHAT_CSS__: JSON.stringify(css),
});

mkdirSync(outdir, { recursive: true });
for (const file of readdirSync(outdir)) {
  if (/^(app\.[0-9a-f]+\.js|widget\.js|manifest\.json)$/.test(file)) rmSync(path.join(outdir, file));
}
writeFileSync(path.join(outdir, appFile), app);
writeFileSync(path.join(outdir, 'widget.js'), loader);
writeFileSync(path.join(outdir, 'manifest.json'), JSON.stringify({ loader: 'widget.js', app: appFile }, null, 2) + '\n');
if (!process.argv.includes('--quiet')) {
  process.stdout.write(`widget: ${path.relative(process.cwd(), outdir) || '.'}/{widget.js, ${appFile}, manifest.json}\n`);
}
if (outArg < 0) {
  const built = await buildConsole();
  if (!process.argv.includes('--quiet'))
    process.stdout.write(`console: ${path.relative(process.cwd(), built.outdir)}/{${built.files.join(', ')}}\n`);
}

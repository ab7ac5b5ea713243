// Builds the staff console into client/console/dist/ (called by client/build.mjs):
//   app.<hash>.js       the application (Preact, socket.io-client), IIFE, content-hashed
//   console.<hash>.css  its stylesheet, content-hashed
//   index.html          the page, naming both (no inline script or style: the console runs under a strict CSP)
// Minified ES2020, no source maps, deterministic: the same sources always give the same bytes.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const hashed = (name, ext, text) => `${name}.${createHash('sha256').update(text).digest('hex').slice(0, 12)}.${ext}`;

const minifyCss = async (file) =>
  (await esbuild.transform(readFileSync(file, 'utf8'), { loader: 'css', minify: true, target: 'chrome100' })).code.trim();

export async function buildConsole(outdir = path.join(here, 'dist')) {
  // Previews show replies with the widget's own stylesheet, adopted by a shadow root as the widget does.
  const widgetCss = await minifyCss(path.join(here, '..', 'widget', 'src', 'loader', 'widget.css'));
  const result = await esbuild.build({
    entryPoints: [path.join(here, 'src', 'main.tsx')],
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
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: { 'process.env.NODE_ENV': '"production"', __WIDGET_CSS__: JSON.stringify(widgetCss) },
  });
  const app = result.outputFiles[0].text;
  const css = await minifyCss(path.join(here, 'src', 'console.css'));
  const appFile = hashed('app', 'js', app);
  const cssFile = hashed('console', 'css', css);
  const html = readFileSync(path.join(here, 'index.html'), 'utf8')
    .replace('{{APP}}', `/console/${appFile}`)
    .replace('{{CSS}}', `/console/${cssFile}`);
  if (html.includes('{{')) throw new Error('client/console/index.html: a placeholder was left unfilled');

  mkdirSync(outdir, { recursive: true });
  for (const file of readdirSync(outdir)) {
    if (/^(app\.[0-9a-f]+\.js|console\.[0-9a-f]+\.css|index\.html)$/.test(file)) rmSync(path.join(outdir, file));
  }
  writeFileSync(path.join(outdir, appFile), app);
  writeFileSync(path.join(outdir, cssFile), css);
  writeFileSync(path.join(outdir, 'index.html'), html);
  return { outdir, files: [appFile, cssFile, 'index.html'] };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { outdir, files } = await buildConsole();
  process.stdout.write(`console: ${path.relative(process.cwd(), outdir)}/{${files.join(', ')}}\n`);
}

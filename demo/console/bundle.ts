/**
 * Bundles the console page (Preact + the Block Kit renderer + CSS) with esbuild in memory at start:
 * the demo serves no file from disk and fetches nothing from the internet.
 */
import path from 'node:path';
import { build } from 'esbuild';

export interface ConsoleAssets {
  js: string;
  css: string;
}

const ENTRY = path.join(__dirname, 'web', 'main.tsx');

export async function bundleConsole(): Promise<ConsoleAssets> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    outdir: 'out',
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'))?.text;
  const css = result.outputFiles.find((f) => f.path.endsWith('.css'))?.text ?? '';
  if (js === undefined) throw new Error('esbuild produced no JavaScript for the console page');
  return { js, css };
}

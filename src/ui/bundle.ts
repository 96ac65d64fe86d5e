/**
 * The page's script and style, made once per process when a page is written:
 * src/ui/client/ and the graph layout library (dagre, from node_modules) bundled
 * by esbuild into one script, the licenses of what it bundles on top. Nothing is
 * fetched when the page opens.
 * @see https://esbuild.github.io/api/#build
 */
import { buildSync } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLIENT = fileURLToPath(new URL('./client/main.ts', import.meta.url));
const STYLE = fileURLToPath(new URL('./client/page.css', import.meta.url));
/** npm packages inlined in the script, whose license texts go with it. */
const BUNDLED = ['@dagrejs/dagre', '@dagrejs/graphlib'];

let made: { script: string; style: string } | undefined;

/** The bundled script and the style sheet, safe to place inside `<script>` and `<style>` elements. */
export function clientAssets(): { script: string; style: string } {
  made ??= { script: bundle(), style: inlineSafe(readFileSync(STYLE, 'utf8'), 'style') };
  return made;
}

function bundle(): string {
  const out = buildSync({
    entryPoints: [CLIENT],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    write: false,
  });
  const require = createRequire(import.meta.url);
  const licenses = BUNDLED.map((name) => {
    // graphlib is dagre's dependency: resolve it from there.
    const from = name === '@dagrejs/graphlib' ? createRequire(require.resolve('@dagrejs/dagre')) : require;
    const dir = dirname(from.resolve(`${name}/package.json`));
    const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    return `${name} ${version}\n\n${readFileSync(join(dir, 'LICENSE'), 'utf8').trim()}`;
  });
  const banner = `/*! The lakestep platform page. Bundled:\n\n${licenses.join('\n\n').replaceAll('*/', '* /')}\n*/\n`;
  return inlineSafe(banner + out.outputFiles[0]!.text, 'script');
}

/**
 * Text placed inside a `<script>` or `<style>` element ends at the first `</script` or `</style`:
 * escape the slash (in JavaScript `<\/` in a string, regular expression or comment means the same).
 * @see https://html.spec.whatwg.org/multipage/scripting.html#restrictions-for-contents-of-script-elements
 */
export function inlineSafe(text: string, element: 'script' | 'style'): string {
  const safe = text.replace(new RegExp(`</(${element})`, 'gi'), '<\\/$1');
  // `<!--` and `<script` inside a script element change how the parser finds its end.
  if (element === 'script' && /<!--|<script/i.test(safe)) throw new Error('the page script holds "<!--" or "<script", which cannot be inlined safely');
  return safe;
}

/**
 * One self-contained HTML file: the skeleton of the page, its style and script
 * inlined (bundle.ts) and its data as a JSON data block. A Content Security
 * Policy allows only that script and style, by hash, and no fetch of any kind:
 * the page makes no network request, and nothing in the data can run as code.
 * @see https://www.w3.org/TR/CSP3/#directive-default-src
 * @see https://html.spec.whatwg.org/multipage/scripting.html#data-block
 */
import { createHash } from 'node:crypto';
import { clientAssets } from './bundle.ts';
import type { UiData } from './types.ts';

/** The page of `data`. */
export function pageHtml(data: UiData): string {
  const { script, style } = clientAssets();
  const csp = [
    "default-src 'none'",
    `script-src '${sha256(script)}'`,
    `style-src '${sha256(style)}'`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const title = `lakestep — ${data.title}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
<a class="skip" href="#runs">Skip to the runs</a>
<header class="page">
  <h1>${escapeHtml(title)}</h1>
  <p id="source"></p>
  <ul id="notes"></ul>
</header>
<nav class="filters" aria-label="Filters">
  <label>Use case <select id="f-uc"></select></label>
  <label>Name <input id="f-name" type="search" autocomplete="off" placeholder="part of a dag or table name"></label>
  <label>Status <select id="f-status"></select></label>
  <output id="f-count" aria-live="polite"></output>
</nav>
<main>
<section id="quarantine" aria-labelledby="quarantine-title" hidden>
  <h2 id="quarantine-title">Quarantined use cases: not compiled, not deployed</h2>
  <ul id="quarantine-list"></ul>
</section>
<section aria-labelledby="graph-title">
  <h2 id="graph-title">Graph</h2>
  <div class="tabs" role="group" aria-label="What the graph shows">
    <button type="button" id="tab-dags" aria-pressed="true">Dags and their dependencies</button>
    <button type="button" id="tab-tables" aria-pressed="false">Tables between their writers and readers</button>
  </div>
  <p id="graph-note" aria-live="polite"></p>
  <div class="scroll"><svg id="graph" role="group" aria-label="Graph: every node is a button that shows its runs or its table"></svg></div>
</section>
<section id="runs" aria-labelledby="runs-title">
  <h2 id="runs-title" tabindex="-1">Runs</h2>
  <ul class="legend" id="legend" aria-label="Legend"></ul>
  <div class="dates"><button type="button" id="dates-earlier">Earlier dates</button><button type="button" id="dates-later">Later dates</button><span id="dates-range"></span></div>
  <div class="scroll"><table id="grid" role="grid" aria-labelledby="runs-title"></table></div>
  <button type="button" id="grid-more" hidden></button>
</section>
<section aria-labelledby="tables-title">
  <h2 id="tables-title" tabindex="-1">Tables</h2>
  <div class="scroll"><table id="tables" aria-labelledby="tables-title"></table></div>
  <button type="button" id="tables-more" hidden></button>
</section>
</main>
<dialog id="details" aria-labelledby="details-title"></dialog>
<noscript><p>This page draws itself with JavaScript; its data is in the element #lakestep-data.</p></noscript>
<script type="application/json" id="lakestep-data">${jsonForHtml(data)}</script>
<script>${script}</script>
</body>
</html>
`;
}

/** JSON that cannot end its element or open a comment: `<` written as `\u003c` (the same string to JSON.parse). */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A CSP hash source of an inline element's text. */
function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

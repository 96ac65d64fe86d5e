/**
 * The page of a generated 1,000-use-case platform (5,000 dags), its runs read by
 * `--from-aws` from mocked Step Functions clients (8 runs a dag over two days,
 * some failed), opened and filtered in Chromium. The figures are printed, not
 * asserted: this machine is shared and its load varies.
 */
import { GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSpecs, useCaseName } from '../../bench/generate.ts';
import { compile } from '../../src/compile.ts';
import { readAwsRuns } from '../../src/ui/aws.ts';
import { pageHtml } from '../../src/ui/html.ts';
import { pageData } from '../../src/ui/page-data.ts';
import type { UiData } from '../../src/ui/types.ts';
import { fakeClock } from '../ui/clock.ts';
import { filtered, launch, openPage, OUTPUT, type OpenPage } from './browser.ts';

const USE_CASES = 1000;
const NOW = new Date('2026-11-26T00:00:00Z');
const figures: string[] = [];
let browser: Browser;
let opened: OpenPage;
let page: UiData;
const file = join(OUTPUT, 'scale-1000.html');

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

beforeAll(async () => {
  let t = performance.now();
  const { manifest, quarantined } = compile(generateSpecs({ useCases: USE_CASES }).sources, { lakestepVersion: '0.0.0' });
  expect(quarantined).toEqual([]);
  figures.push(`compile of ${USE_CASES} use cases: ${seconds(performance.now() - t)}`);

  const sfn = mockClient(SFNClient);
  let machine = 0;
  sfn.on(ListExecutionsCommand).callsFake((input: { stateMachineArn: string }) => {
    const name = input.stateMachineArn.slice(input.stateMachineArn.lastIndexOf(':') + 1);
    const failing = ++machine % 97 === 0;
    const executions = Array.from({ length: 8 }, (_, k) => {
      const start = new Date(NOW.getTime() - (k + 1) * 6 * 3600_000);
      const run = start.toISOString().replace(/\.000Z$/, 'Z').replaceAll(':', '');
      return {
        executionArn: `${input.stateMachineArn.replace(':stateMachine:', ':execution:')}:${run}`,
        stateMachineArn: input.stateMachineArn,
        name: run,
        status: failing && k === 0 ? ('FAILED' as const) : ('SUCCEEDED' as const),
        startDate: new Date(start.getTime() + 2000),
        stopDate: new Date(start.getTime() + 300_000),
      };
    });
    return { executions: name ? executions : [] };
  });
  sfn.on(GetExecutionHistoryCommand).resolves({
    events: [{ id: 1, timestamp: NOW, type: 'ExecutionFailed', executionFailedEventDetails: { error: 'EMRServerless.JobFailed', cause: 'Job run failed (mocked)' } }],
  });
  const clock = fakeClock();
  t = performance.now();
  const read = await readAwsRuns(new SFNClient({ region: manifest.platform.region }), manifest, {
    since: new Date(NOW.getTime() - 2 * 86_400_000),
    now: NOW,
    account: '123456789012',
    quarantined: [],
    clock,
    random: () => 0.5,
    concurrency: 16,
  });
  sfn.restore();
  figures.push(
    `--from-aws over mocked clients: ${read.runs.length.toLocaleString('en')} runs of ${read.stats.calls.ListExecutions.toLocaleString('en')} state machines in ${seconds(performance.now() - t)};` +
      ` paced to the ListExecutions quota it would take ${(clock.now() / 60_000).toFixed(0)} min against AWS`,
  );

  t = performance.now();
  page = pageData({ manifest, quarantined: [], runs: read.runs, source: { kind: 'aws', label: read.label, now: read.now, notes: read.notes, console: read.console } });
  writeFileSync(file, pageHtml(page));
  figures.push(`page data and HTML: ${seconds(performance.now() - t)}, ${(statSync(file).size / 1024 / 1024).toFixed(1)} MiB`);
  browser = await launch();
  opened = await openPage(browser, file);
  figures.push(`open: ready ${seconds(opened.readyMs)} after navigation`);
}, 900_000);

afterAll(async () => {
  await browser?.close();
  console.log(`1,000-use-case page (${USE_CASES * 5} dags):\n  ${figures.join('\n  ')}`);
});

describe('the page of 1,000 use cases', () => {
  it('opens with a page of rows, a bounded graph and every dag counted, without a request', async () => {
    const { page: p } = opened;
    expect(page.dags).toHaveLength(USE_CASES * 5);
    await expect(p.locator('#grid tbody tr').count()).resolves.toBe(100);
    await expect(p.locator('#grid-more').textContent()).resolves.toBe('Show 100 more dags (4,900 not shown)');
    await expect(p.locator('#f-count').textContent()).resolves.toMatch(/^5,000 dags of 5,000, /);
    const nodes = await p.locator('#graph g.node').count();
    expect(nodes).toBeLessThanOrEqual(200);
    await expect(p.locator('#graph-note').textContent()).resolves.toMatch(/^Drawing \d+ nodes of 5,0\d\d \(\d+ use cases left out\): choose a use case or type a name/);
    await p.screenshot({ path: join(OUTPUT, 'scale-1000.png') });
    expect(opened.requests).toEqual([`file://${file}`]);
    expect(opened.errors).toEqual([]);
  });

  it('filters by name, by use case and by status in seconds', async () => {
    const { page: p } = opened;
    const uc = useCaseName(421);
    let marks = await p.evaluate(() => performance.getEntriesByName('lakestep:filtered').length);
    const time = async (what: string, act: () => Promise<void>): Promise<void> => {
      const t0 = await p.evaluate(() => performance.now());
      await act();
      figures.push(`${what}: ${seconds(await filtered(p, marks++, t0))}`);
    };
    await time(`type "${uc}" in the name filter (120 ms debounce included)`, () => p.fill('#f-name', uc));
    const rows = () => p.locator('#grid tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-ref')));
    expect((await rows()).every((r) => r!.startsWith(`${uc}/`))).toBe(true);
    await expect(p.locator('#graph g.node.workflow:not(.context)').count()).resolves.toBe(5);
    await time('clear the name filter', () => p.fill('#f-name', ''));
    await time('choose one use case of 1,000', async () => void (await p.selectOption('#f-uc', uc)));
    expect(await rows()).toHaveLength(5);
    await time('back to all use cases', async () => void (await p.selectOption('#f-uc', '')));
    await time('only dags with failed runs', async () => void (await p.selectOption('#f-status', 'failed')));
    const failing = new Set(page.runs.filter((r) => r.state === 'failed').map((r) => r.dag)).size;
    await expect(p.locator('#f-count').textContent()).resolves.toMatch(new RegExp(`^${failing} dags of 5,000, `));
    expect(await rows()).toHaveLength(Math.min(100, failing));
    await p.screenshot({ path: join(OUTPUT, 'scale-1000-failed.png') });
    const cell = p.locator('#grid td.run.s-failed').first();
    const ref = await cell.evaluate((td) => td.closest('tr')!.dataset.ref!);
    await cell.click();
    const link = p.locator('dialog#details a', { hasText: 'Open in the Step Functions console' });
    const failed = page.runs.find((r) => r.dag === ref && r.state === 'failed')!;
    await expect(link.getAttribute('href')).resolves.toBe(`${page.source.console}${failed.executionArn}`);
    await expect(p.locator('dialog#details').innerText()).resolves.toContain('EMRServerless.JobFailed');
    await p.keyboard.press('Escape');
    expect(opened.requests).toEqual([`file://${file}`]);
    expect(opened.errors).toEqual([]);
  });
});

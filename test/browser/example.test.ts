/**
 * The page `lakestep start` writes for the example platform's failure scenario,
 * opened in Chromium: every dag in the graph and the grid, the failed migration
 * shown as failed with its error, filters narrowing the grid, the keyboard
 * reaching a run's details, and no network request at all.
 */
import { cpSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifestDir } from '../../src/build/manifest-files.ts';
import type { Manifest } from '../../src/build/types.ts';
import { folder, runCli } from '../cli/support.ts';
import { filtered, launch, openPage, OUTPUT, type OpenPage } from './browser.ts';

let browser: Browser;
let opened: OpenPage;
let manifest: Manifest;
let file: string;

beforeAll(async () => {
  const dir = folder();
  cpSync(resolve('specs'), join(dir, 'specs'), { recursive: true });
  const r = await runCli(['start', 'specs', '--out', 'build', '--scenario', resolve('src/simulator/scenarios/failure.yaml')], dir);
  expect(r.code).toBe(1); // the scenario fails on purpose
  file = join(dir, 'build/ui.html');
  manifest = readManifestDir(join(dir, 'build'));
  browser = await launch();
  opened = await openPage(browser, file);
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

const dagRefs = () => manifest.useCases.flatMap((u) => u.workflows.map((w) => `${u.name}/${w.name}`)).sort();

describe('the page of the failure scenario', () => {
  it('opens without a request beyond its own file and without an error', async () => {
    console.log(`example page: ${(readFileSync(file).length / 1024).toFixed(0)} KiB, ready ${opened.readyMs.toFixed(0)} ms after navigation`);
    expect(opened.requests).toEqual([`file://${file}`]);
    expect(opened.errors).toEqual([]);
    await opened.page.screenshot({ path: join(OUTPUT, 'example-failure.png'), fullPage: true });
  });

  it('draws every dag in the graph and in the grid', async () => {
    const { page } = opened;
    const graph = await page.locator('#graph g.node.workflow').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-ref')));
    expect(graph.sort()).toEqual(dagRefs());
    const rows = await page.locator('#grid tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-ref')));
    expect(rows).toEqual(dagRefs());
    await expect(page.locator('#f-count').textContent()).resolves.toBe(`${dagRefs().length} dags of ${dagRefs().length}, ${Object.keys(manifest.tables).length} tables of ${Object.keys(manifest.tables).length}`);
  });

  it('shows the failed migration as failed, in words, and its error in its details, by keyboard', async () => {
    const { page } = opened;
    const cell = page.locator('#grid tr[data-ref="orders/orders-migration"] td.run');
    await expect(cell.getAttribute('class')).resolves.toBe('run s-failed');
    await expect(cell.textContent()).resolves.toBe('fail');
    await expect(cell.getAttribute('aria-label')).resolves.toBe('orders/orders-migration 2026-11-25 00:00 UTC: failed, Lakestep.TablesFailed; Enter for details');
    await expect(page.locator('#graph g.node[data-ref="orders/orders-migration"] .node-state').textContent()).resolves.toBe('failed');
    await cell.focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('dialog#details');
    await expect(dialog.isVisible()).resolves.toBe(true);
    const text = (await dialog.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('Status FAILED (failed)');
    expect(text).toContain('Error Lakestep.TablesFailed');
    expect(text).toContain('Job failed: org.apache.spark.SparkException: Job aborted (simulated)');
    expect(text).toContain('Convert landing files — caught after 1 retry: States.TaskFailed');
    await page.screenshot({ path: join(OUTPUT, 'example-failure-details.png') });
    await page.keyboard.press('Escape');
    await expect(dialog.isVisible()).resolves.toBe(false);
    await expect(page.evaluate(() => document.activeElement?.closest('tr')?.dataset.ref)).resolves.toBe('orders/orders-migration');
    // The arrow keys move between cells, empty ones included, right after the dialog closed: its close
    // event, a task later, must not take the focus back from the cell the key moved to.
    await page.keyboard.press('ArrowRight');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe('orders/orders-migration 2026-11-25 01:00 UTC: no run');
    await page.keyboard.press('ArrowUp');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toMatch(/^orders\/orders-maintenance 2026-11-25 01:00 UTC: no run$/);
  });

  it('shows the skipped ingestion as skipped, with why', async () => {
    const { page } = opened;
    await page.locator('#grid tr[data-ref="orders/orders-ingestion"] td.run').click();
    const text = (await page.locator('dialog#details').innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('SUCCEEDED (skipped)');
    expect(text).toContain('raw_orders.orders is not migrated yet (orders/orders-migration): nothing written');
    await page.keyboard.press('Escape');
  });

  it('narrows the grid by name, use case and status', async () => {
    const { page } = opened;
    const rows = () => page.locator('#grid tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-ref')));
    let marks = await page.evaluate(() => performance.getEntriesByName('lakestep:filtered').length);
    await page.fill('#f-name', 'payments-');
    await filtered(page, marks++, 0);
    expect(await rows()).toEqual(dagRefs().filter((r) => r.includes('payments-')));
    await page.fill('#f-name', '');
    await filtered(page, marks++, 0);
    await page.selectOption('#f-uc', 'orders');
    await filtered(page, marks++, 0);
    expect(await rows()).toEqual(dagRefs().filter((r) => r.startsWith('orders/')));
    await page.selectOption('#f-status', 'failed');
    await filtered(page, marks++, 0);
    expect(await rows()).toEqual(['orders/orders-migration']);
    await expect(page.locator('#f-count').textContent()).resolves.toMatch(/^1 dag of 20, /);
    await page.selectOption('#f-status', '');
    await filtered(page, marks++, 0);
    await page.selectOption('#f-uc', '');
    await filtered(page, marks++, 0);
  });

  it('moves between graph nodes with the arrow keys; Enter on a dag shows its runs only', async () => {
    const { page } = opened;
    await expect(page.locator('#graph g.node[tabindex="0"]').count()).resolves.toBe(1);
    await page.locator('#graph g.node[tabindex="0"]').focus();
    const first = await page.evaluate(() => document.activeElement?.getAttribute('data-ref'));
    await page.keyboard.press('ArrowRight');
    const second = await page.evaluate(() => document.activeElement?.getAttribute('data-ref'));
    expect(second).not.toBe(first);
    const marks = await page.evaluate(() => performance.getEntriesByName('lakestep:filtered').length);
    await page.keyboard.press('Enter');
    await filtered(page, marks, 0);
    await expect(page.inputValue('#f-name')).resolves.toBe(second);
    await expect(page.locator('#grid tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-ref')))).resolves.toEqual([second]);
    await page.fill('#f-name', '');
    await filtered(page, marks + 1, 0);
  });

  it('draws the tables between their writers and readers, and the table panel', async () => {
    const { page } = opened;
    await page.click('#tab-tables');
    await filtered(page, await page.evaluate(() => performance.getEntriesByName('lakestep:filtered').length - 1), 0);
    const tables = await page.locator('#graph g.node.table').count();
    expect(tables).toBeGreaterThan(5);
    await expect(page.locator('#tables tr[data-table="raw_orders.orders"] td').allTextContents()).resolves.toEqual([
      'orders',
      expect.stringContaining('orders/orders-ingestion'),
      expect.stringContaining('orders/orders-upserts'),
      'none in these runs',
      // orders-pg's freshness SLA (warn after 2h): the failure scenario's runs never publish the table.
      'unknown: not published in these runs (warn after 2h 00m)',
      'no checks',
    ]);
    await page.screenshot({ path: join(OUTPUT, 'example-tables.png'), fullPage: true });
    expect(opened.requests).toEqual([`file://${file}`]);
    expect(opened.errors).toEqual([]);
  });
});

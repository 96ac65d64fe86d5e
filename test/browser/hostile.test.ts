/**
 * Spec values are hostile: a quarantined use case whose dag name and upstream are
 * markup reaches the page (its dags are read leniently from its specs) and must
 * show as text, run nothing and load nothing.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folder, runCli } from '../cli/support.ts';
import { sparkUseCase } from '../compile/support.ts';
import { launch, openPage, OUTPUT } from './browser.ts';

const NAME = '<img src=x onerror=alert(1)></script><script>alert(2)</script>';
const UPSTREAM = 'sales/<b onmouseover=alert(3)>extract</b>';

let browser: Browser;
let dir: string;

beforeAll(async () => {
  dir = folder({
    'specs/sales/orchestration.yaml': sparkUseCase('sales@example.com', [{ name: 'extract' }]),
    'specs/hr/orchestration.yaml': `owner: hr@example.com\ndags:\n  - name: ${JSON.stringify(NAME)}\n    type: transformation\n    depends_on: [${JSON.stringify(UPSTREAM)}]\n    spark: {entrypoint: "s3://jobs/x.py"}\n`,
  });
  expect((await runCli(['compile', 'specs', '--out', 'build'], dir)).code).toBe(1);
  expect((await runCli(['ui', 'specs'], dir)).code).toBe(0);
  browser = await launch();
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

describe('a page holding markup in spec values', () => {
  it('shows them as text, runs no script of theirs and requests nothing', async () => {
    const file = join(dir, 'build/ui.html');
    const dialogs: string[] = [];
    const opened = await openPage(browser, file);
    opened.page.on('dialog', (d) => void (dialogs.push(d.message()), d.dismiss()));
    const { page } = opened;
    await expect(page.locator('#grid tbody th').allTextContents()).resolves.toEqual([`hr/${NAME}quarantined`, 'sales/extractspark']);
    await expect(page.locator(`#graph g.node[data-ref="sales/extract"]`).count()).resolves.toBe(1);
    await expect(page.locator('#graph g.node.missing').evaluate((n) => n.getAttribute('data-ref'))).resolves.toBe(UPSTREAM);
    await page.locator('#graph g.node.missing').hover();
    await expect(page.locator('img, #grid script, #graph script, b').count()).resolves.toBe(0);
    await expect(page.locator('#quarantine-list').innerText()).resolves.toMatch(/^hr — \d+ errors; first: hr\/orchestration\.yaml:3:11 SCHEMA_/);
    await page.screenshot({ path: join(OUTPUT, 'hostile.png'), fullPage: true });
    expect(dialogs).toEqual([]);
    expect(opened.requests).toEqual([`file://${file}`]);
    expect(opened.errors).toEqual([]);
  });
});

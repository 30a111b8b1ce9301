import { streamSteps } from '../fakes/fake-openrouter';
import { artifactPath } from '../helpers/browser';
import { ask, waitForPageReady } from '../helpers/chat-page';
import { usePageSuite } from '../helpers/page-suite';

jest.setTimeout(60_000);

const A = 'openai/gpt-4o-mini';
const B = 'anthropic/claude-3.5-haiku';
const suite = usePageSuite({ OPENROUTER_MODEL: A, OPENROUTER_MODELS: B });

async function openCompareMode(size: { width?: number; height?: number } = {}) {
  const opened = await suite.open(size);
  await opened.page.goto(`${suite.app.origin}/ai-demo`);
  await waitForPageReady(opened.page);
  await opened.page.getByLabel('Compare').check();
  return opened;
}

const column = (page: Awaited<ReturnType<typeof openCompareMode>>['page'], side: 'A' | 'B') =>
  page.locator(`article.compare .compare__col[data-side=${side}]`).last();

describe('compare mode on the page', () => {
  test('when a question is asked in compare mode, then two answers stream side by side and a vote is counted in the stats', async () => {
    suite.app.fake
      .enqueueFor(A, { steps: streamSteps(['**Bold** ', 'from A'], { gap: 40 }) })
      .enqueueFor(B, { steps: streamSteps(['Plain ', 'from ', 'B'], { gap: 40 }) });
    const { page, watch } = await openCompareMode();
    await ask(page, 'Which is better?');

    await page.getByRole('button', { name: 'A is better' }).waitFor();
    await expect(column(page, 'A').locator('.md').innerHTML()).resolves.toBe(
      '<div data-slot="committed"><p><strong>Bold</strong> from A</p>\n</div><div data-slot="tail"></div>',
    );
    await expect(column(page, 'B').locator('.md').textContent()).resolves.toBe('Plain from B\n');
    await expect(column(page, 'A').locator('.compare__model').textContent()).resolves.toBe(A);
    await expect(column(page, 'B').locator('.compare__model').textContent()).resolves.toBe(B);
    await expect(page.locator('article.compare .badge--mock').count()).resolves.toBe(0);
    await expect(column(page, 'A').locator('.stats').textContent()).resolves.toMatch(/^3 tokens[\d.]+ s[\d.]+ tok\/sfirst token \d+ ms$/);
    await expect(page.locator('.msg--user .msg__text').last().textContent()).resolves.toBe('Which is better?');
    // The normal chat did not also answer: the compare took the submit.
    await expect(page.locator('article.msg--assistant').count()).resolves.toBe(0);
    await page.screenshot({ path: artifactPath('ai-demo-1280-compare.png') });

    await page.getByRole('button', { name: 'A is better' }).click();
    await page.getByText(`A was ${A}, B was ${B}.`, { exact: false }).waitFor();
    await page.getByRole('link', { name: 'See the stats' }).click();
    const table = page.locator('table.compare__stats');
    await table.waitFor();
    await expect(table.locator('tr').allInnerTexts()).resolves.toEqual([
      'Model\tRating (elo)\tVotes\tWins\tLosses\tDraws',
      `${A}\t1016\t1\t1\t0\t0`,
      `${B}\t984\t1\t0\t1\t0`,
    ]);
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
  });

  test('when one side\'s model fails before its first token, then only that column is labelled as the mock', async () => {
    suite.app.fake
      .enqueueFor(A, { steps: streamSteps(['real']) })
      .enqueueFor(B, { status: 503, headers: { 'Content-Type': 'application/json' }, body: '{"error":{"code":503,"message":"Overloaded"}}' });
    const { page } = await openCompareMode();
    await ask(page, 'Fallback');
    await page.getByRole('button', { name: 'Tie' }).waitFor();
    await expect(column(page, 'A').locator('.badge--mock').count()).resolves.toBe(0);
    await expect(column(page, 'B').locator('.badge--mock').isVisible()).resolves.toBe(true);
    await expect(column(page, 'B').locator('.md').textContent()).resolves.toContain('Mock answer');
  });

  test('when an answer carries HTML or script, then the column shows it as text and nothing runs', async () => {
    const payloads = ['<img src=x onerror="window.__xss=1">', ' <script>window.__xss=2</script>', ' [a](javascript:window.__xss=3)'];
    suite.app.fake.enqueueFor(A, { steps: streamSteps(payloads) }).enqueueFor(B, { steps: streamSteps(['<b onmouseover="window.__xss=4">b</b>']) });
    const { page, watch } = await openCompareMode();
    await page.getByRole('textbox', { name: 'Message' }).fill('Hostile');
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
    await page.getByRole('button', { name: 'Tie' }).waitFor();
    await column(page, 'B').locator('.md').hover();
    await expect(page.evaluate(() => window.__xss)).resolves.toBeUndefined();
    await expect(page.locator('article.compare img, article.compare script, article.compare [onerror], article.compare [onmouseover], article.compare a[href^="javascript"]').count()).resolves.toBe(0);
    await expect(column(page, 'A').locator('.md').textContent()).resolves.toContain('<img src=x onerror="window.__xss=1">');
    expect(watch.pageErrors).toEqual([]);
    expect(watch.dialogs).toEqual([]);
  });

  test('when blind is on, then the model names stay hidden until the vote reveals them', async () => {
    suite.app.fake.enqueueFor(A, { steps: streamSteps(['one']) }).enqueueFor(B, { steps: streamSteps(['two']) });
    const { page } = await openCompareMode();
    await page.getByLabel('Blind').check();
    await ask(page, 'Blind test');
    await page.getByRole('button', { name: 'Tie' }).waitFor();
    await expect(page.locator('article.compare').last().textContent()).resolves.not.toContain(A);
    await expect(column(page, 'A').locator('.compare__model').textContent()).resolves.toBe('hidden until you vote');
    await page.getByRole('button', { name: 'Tie' }).click();
    await page.getByText('you voted “Tie”', { exact: false }).waitFor();
    await expect(column(page, 'A').locator('.compare__model').textContent()).resolves.toBe(A);
    await expect(column(page, 'B').locator('.compare__model').textContent()).resolves.toBe(B);
  });

  test('when one side ends first, then no vote is offered until the other ends; stopped, that side keeps its partial answer and the other ends in full', async () => {
    suite.app.fake
      .enqueueFor(A, { steps: streamSteps(Array.from({ length: 200 }, (_, i) => `a${i} `), { gap: 30 }) })
      .enqueueFor(B, { steps: streamSteps(['short'], { gap: 300 }) });
    const { page } = await openCompareMode();
    await ask(page, 'Stop A');
    await column(page, 'A').getByText('Responding…').waitFor();
    // B has ended while A still streams: no vote yet, it waits for both.
    await column(page, 'B').locator('.stats').getByText(/^\d+ tokens/).waitFor();
    await expect(column(page, 'A').getByText('Responding…').isVisible()).resolves.toBe(true);
    await expect(page.locator('article.compare .compare__vote').count()).resolves.toBe(0);
    await column(page, 'A').getByRole('button', { name: 'Stop' }).click();
    await page.getByRole('button', { name: 'B is better' }).waitFor();
    await expect(column(page, 'A').locator('.stats').textContent()).resolves.toMatch(/^stopped/);
    await expect(column(page, 'A').locator('.md').textContent()).resolves.toMatch(/^a0 /);
    await expect(column(page, 'B').locator('.md').textContent()).resolves.toBe('short\n');
  });

  test('when the window is narrower than 768 px, then the columns stack; wider, they sit side by side', async () => {
    suite.app.fake.enqueueFor(A, { steps: streamSteps(['left']) }).enqueueFor(B, { steps: streamSteps(['right']) });
    const { page } = await openCompareMode({ width: 600, height: 900 });
    await ask(page, 'Narrow');
    await page.getByRole('button', { name: 'Tie' }).waitFor();
    const a = (await column(page, 'A').boundingBox())!;
    const b = (await column(page, 'B').boundingBox())!;
    expect(b.y).toBeGreaterThanOrEqual(a.y + a.height);
    expect(b.x).toBe(a.x);
    await page.screenshot({ path: artifactPath('ai-demo-600-compare.png') });
    await page.setViewportSize({ width: 1000, height: 900 });
    const wideA = (await column(page, 'A').boundingBox())!;
    const wideB = (await column(page, 'B').boundingBox())!;
    expect(wideB.y).toBe(wideA.y);
    expect(wideB.x).toBeGreaterThan(wideA.x + wideA.width);
  });
});

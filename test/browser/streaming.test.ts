import { setTimeout as sleep } from 'node:timers/promises';
import { chunk, streamSteps, usageChunk, type Step } from '../fakes/fake-openrouter';
import { MARKDOWN_ANSWER, splitTokens, wordsAnswer } from '../fakes/answers';
import { artifactPath } from '../helpers/browser';
import { answerText, ask, recordSnapshots, waitForFooter, waitForPageReady } from '../helpers/chat-page';
import { usePageSuite } from '../helpers/page-suite';

jest.setTimeout(60_000);

const suite = usePageSuite();

async function openChat(size: { width?: number; height?: number } = {}) {
  const opened = await suite.open(size);
  await recordSnapshots(opened.page);
  await opened.page.goto(`${suite.app.origin}/ai-demo`);
  await waitForPageReady(opened.page);
  return opened;
}

/** Resolves when the answer shows at least `length` characters. */
async function waitForText(page: Awaited<ReturnType<typeof openChat>>['page'], length: number): Promise<void> {
  await page.waitForFunction(
    (min) => {
      const answer = [...document.querySelectorAll('article.msg--assistant')].at(-1);
      return (answer?.querySelector(':scope > [data-slot=committed]')?.textContent?.length ?? 0) +
        (answer?.querySelector(':scope > [data-slot=tail]')?.textContent?.length ?? 0) >= min;
    },
    length,
  );
}

describe('streaming an answer on the page', () => {
  test('when a question is asked, then the answer grows in steps, renders markdown and the status goes through each real stage to Responding, then the footer', async () => {
    suite.app.fake.enqueue({ headerDelay: 400, steps: streamSteps(splitTokens(MARKDOWN_ANSWER, 6), { gap: 20 }) });
    const { page, watch } = await openChat();

    await ask(page, 'Tell me about Python');
    await page.getByText('Connecting to the model…').waitFor();
    await page.getByText('Responding…').waitFor();
    await expect(page.locator('article.msg--assistant').getAttribute('aria-busy')).resolves.toBe('true');
    await page.screenshot({ path: artifactPath('ai-demo-1280-streaming.png') });
    await waitForFooter(page);

    const snapshots = (await page.evaluate(() => window.__snapshots))!;
    const beforeEnd = snapshots.filter((s) => !s.footer);
    // The live tail may shrink a little when a block turns final (a table's pipes vanish),
    // so count the steps in which the answer grew.
    const growths = beforeEnd.filter((s, i) => i > 0 && s.answerLength > beforeEnd[i - 1]!.answerLength);
    expect(growths.length).toBeGreaterThanOrEqual(8);
    const statuses = snapshots.map((s) => s.status).filter((s, i, all) => s !== all[i - 1]);
    expect(statuses).toEqual(['Starting…', 'Connecting to the model…', 'Waiting for the model…', 'Responding…', '']);
    expect(snapshots.at(-1)!.footer).toBe(true);
    await expect(page.locator('article.msg--assistant').getAttribute('aria-busy')).resolves.toBeNull();

    const answer = page.locator('article.msg--assistant').last();
    await expect(answer.locator('strong').textContent()).resolves.toBe('high-level');
    await expect(answer.locator('ul > li').allTextContents()).resolves.toEqual(['readable syntax', 'batteries included']);
    await expect(answer.locator('pre code.language-python').textContent()).resolves.toContain('def greet(name):');
    await expect(answer.locator('.code-block .code-lang').textContent()).resolves.toBe('python');
    await expect(answer.locator('.code-block .code-copy').count()).resolves.toBe(1);
    await expect(answer.locator('[data-slot=footer] .action--copy').getAttribute('data-markdown')).resolves.toBe(MARKDOWN_ANSWER);
    await expect(answer.locator('table tr').count()).resolves.toBe(3);
    await expect(answer.locator('table td').first().textContent()).resolves.toBe('Python');
    const footer = await answer.locator('[data-slot=footer]').textContent();
    expect(footer).toMatch(/3 tokens.*tok\/s.*ms to first token.*openrouter · openai\/gpt-4o-mini/);
    expect(page.url()).toMatch(/\/ai-demo\/c\/[\w-]+$/);
    await expect(page.getByRole('textbox', { name: 'Message' }).isEnabled()).resolves.toBe(true);
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
  });

  test('when a long code block streams, then its tail arrives as edits and always shows the code so far', async () => {
    const code = Array.from({ length: 40 }, (_, i) => `const value${i} = compute(${i}); // <${i}> & "q"`).join('\n');
    suite.app.fake.enqueue({ steps: streamSteps(splitTokens(`Here:\n\n\`\`\`js\n${code}\n\`\`\`\n\nDone.`, 8), { gap: 20 }) });
    const { page, watch } = await openChat();
    await page.evaluate(() => {
      const seen = { kept: 0, whole: 0, codes: [] as string[] };
      (window as unknown as { __tails: typeof seen }).__tails = seen;
      new MutationObserver((records) => {
        for (const record of records) {
          for (const node of record.addedNodes) {
            if (!(node instanceof Element) || node.localName !== 'tail-edit') continue;
            if (node.getAttribute('keep') === '0') seen.whole++;
            else seen.kept++;
          }
        }
        const answer = [...document.querySelectorAll('article.msg--assistant')].at(-1);
        const shown = answer?.querySelector(':scope > [data-slot=tail] pre code')?.textContent;
        if (shown) seen.codes.push(shown);
      }).observe(document.getElementById('messages')!, { childList: true, subtree: true });
    });

    await ask(page, 'Some code, please');
    await waitForFooter(page);

    const seen = await page.evaluate(() => (window as unknown as { __tails: { kept: number; whole: number; codes: string[] } }).__tails);
    // Each token after the first lines of the block only adds to the tail before it.
    expect(seen.kept).toBeGreaterThan(seen.whole);
    expect(seen.kept).toBeGreaterThan(50);
    expect(seen.codes.length).toBeGreaterThan(50);
    // The tail shows the lines so far and the line being written, then a line break.
    for (const shown of seen.codes) expect(`${code}\n`.startsWith(shown.slice(0, -1))).toBe(true);
    expect(seen.codes.at(-1)!.length).toBeGreaterThan(code.length * 0.9);
    const answer = page.locator('article.msg--assistant').last();
    await expect(answer.locator('pre code.language-js').textContent()).resolves.toBe(`${code}\n`);
    await expect(answer.locator('tail-edit').count()).resolves.toBe(0);
    expect(watch.consoleErrors).toEqual([]);
  });

  test('when Stop is pressed, then the upstream request is aborted mid-answer, before the answer ends as stopped, and the partial answer stays', async () => {
    // The upstream sends a first part, then holds the rest back for longer than this test may
    // run (and less than the idle timeout): the request can only close early because Stop
    // aborted it. How fast that is belongs to the benches; here the order of events is proved.
    const full = wordsAnswer(400);
    const tokens = splitTokens(full, 6);
    const frame = (data: string): Step => ({ write: `data: ${data}\n\n` });
    const sent = (part: string[]) => part.flatMap((token): Step[] => [{ delay: 25 }, frame(chunk({ content: token }))]);
    const steps: Step[] = [
      ...sent(tokens.slice(0, 40)),
      { delay: 25_000 },
      ...sent(tokens.slice(40)),
      frame(chunk({ content: '' }, 'stop')),
      frame(usageChunk()),
      frame('[DONE]'),
    ];
    suite.app.fake.enqueue({ steps });
    const before = suite.app.fake.requests.length;
    const { page, watch } = await openChat();
    const order: string[] = [];

    await ask(page, 'Write a lot');
    await waitForText(page, 60);
    const upstream = suite.app.fake.requests[before]!;
    void upstream.closed.then(() => order.push('upstream closed'));
    order.push('Stop pressed');
    await page.getByRole('button', { name: 'Stop' }).click();
    await upstream.closed;
    await waitForFooter(page);
    order.push('footer shown');

    expect(order).toEqual(['Stop pressed', 'upstream closed', 'footer shown']);
    expect(upstream.aborted).toBe(true);
    const partial = await answerText(page);
    expect(partial.length).toBeGreaterThanOrEqual(60);
    expect(full.startsWith(partial.trim())).toBe(true);
    expect(partial.trim().length).toBeLessThan(full.length);
    await expect(page.locator('article.msg--assistant [data-slot=footer] .badge--note').textContent()).resolves.toBe('Stopped');
    await expect(page.getByRole('button', { name: 'Send' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('textbox', { name: 'Message' }).isEnabled()).resolves.toBe(true);
    expect(suite.app.fake.requests.length - before).toBe(1);
    expect(watch.consoleErrors).toEqual([]);
  });

  test('when the page is reloaded mid-answer, then the same answer resumes without a second upstream request', async () => {
    // Long enough that a slow reload on a busy machine still lands mid-answer.
    const full = wordsAnswer(400);
    suite.app.fake.enqueue({ steps: streamSteps(splitTokens(full, 6), { gap: 20 }) });
    const before = suite.app.fake.requests.length;
    const { page, watch } = await openChat();

    await ask(page, 'Count for me');
    await waitForText(page, 40);
    const url = page.url();
    // A slow SSE extension must not leave the resumed answer unconnected.
    await page.route('**/vendor/hx-sse.min.js', async (route) => {
      await sleep(300);
      await route.continue();
    });
    await page.reload();
    await waitForPageReady(page);
    const seenRightAfterReload = await answerText(page);
    await waitForFooter(page);

    expect(page.url()).toBe(url);
    expect(url).toMatch(/\/ai-demo\/c\/[\w-]+$/);
    await expect(page.locator('.msg--user .msg__text').allTextContents()).resolves.toEqual(['Count for me']);
    await expect(page.locator('article.msg--assistant').count()).resolves.toBe(1);
    expect(seenRightAfterReload.length).toBeLessThan(full.length);
    expect((await answerText(page)).trim()).toBe(full);
    expect(suite.app.fake.requests.length - before).toBe(1);
    expect(watch.consoleErrors).toEqual([]);
  });

  test('when the connection drops mid-answer, then htmx reconnects with Last-Event-ID and the answer goes on without a gap or a repeat', async () => {
    const full = wordsAnswer(150);
    suite.app.fake.enqueue({ steps: streamSteps(splitTokens(full, 6), { gap: 20 }) });
    const before = suite.app.fake.requests.length;
    const { page, watch } = await openChat();
    const resumedFrom: string[] = [];
    page.on('request', (request) => {
      const id = request.headers()['last-event-id'];
      if (id !== undefined) resumedFrom.push(id);
    });

    await ask(page, 'Keep going');
    await waitForText(page, 40);
    suite.app.dropConnections();
    await waitForFooter(page);

    expect(resumedFrom).toHaveLength(1);
    expect(Number(resumedFrom[0])).toBeGreaterThan(0);
    expect((await answerText(page)).trim()).toBe(full);
    expect(suite.app.fake.requests.length - before).toBe(1);
    expect(watch.pageErrors).toEqual([]);
  });

  test('when the upstream fails mid-answer, then a readable error and a Retry button show, and Retry answers again in its place', async () => {
    // Gaps over a render frame, so each delta's tail is on screen before the connection drops.
    const cut: Step[] = [
      ...streamSteps(['Half ', 'an ', 'answer'], { gap: 50 }).slice(0, -3),
      { delay: 50 },
      { destroy: true },
    ];
    suite.app.fake.enqueue({ steps: cut }, { steps: streamSteps(['Second ', 'try ', 'works.'], { gap: 20 }) });
    const before = suite.app.fake.requests.length;
    const { page, watch } = await openChat();

    await ask(page, 'Try me');
    const error = page.locator('article.msg--assistant [data-slot=footer] [role=alert]');
    await error.waitFor();

    await page.screenshot({ path: artifactPath('ai-demo-1280-error.png') });
    await expect(error.textContent()).resolves.toMatch(/connection .* closed|dropped|Try again/i);
    await expect(answerText(page).then((t) => t.trim())).resolves.toBe('Half an answer');
    await expect(page.getByRole('textbox', { name: 'Message' }).isEnabled()).resolves.toBe(true);
    await error.getByRole('button', { name: 'Retry' }).click();
    await waitForFooter(page);
    await expect(answerText(page).then((t) => t.trim())).resolves.toBe('Second try works.');
    // The new answer took the failed one's place: one question, one answer, no error left.
    await expect(page.locator('.msg--user .msg__text').allTextContents()).resolves.toEqual(['Try me']);
    await expect(page.locator('article.msg--assistant').count()).resolves.toBe(1);
    await expect(page.locator('#messages > .turn > *').evaluateAll((els) => els.map((e) => e.className))).resolves.toEqual([
      'msg msg--user',
      'msg msg--assistant',
    ]);
    await expect(page.locator('[role=alert]:visible').count()).resolves.toBe(0);
    expect(suite.app.fake.requests.length - before).toBe(2);
    expect(watch.pageErrors).toEqual([]);
  });

  test('when a blank message is sent, then the form shows a readable error and stays usable', async () => {
    const before = suite.app.fake.requests.length;
    const { page, watch } = await openChat();

    await ask(page, '   ');
    const error = page.locator('#form-error [role=alert]');
    await error.waitFor();

    await expect(error.textContent()).resolves.toBe('Type a message to send.');
    await expect(page.getByRole('textbox', { name: 'Message' }).isEnabled()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Send' }).isVisible()).resolves.toBe(true);
    await ask(page, 'Now for real');
    await waitForFooter(page);
    await expect(error.count()).resolves.toBe(0);
    expect(suite.app.fake.requests.length - before).toBe(1);
    expect(watch.pageErrors).toEqual([]);
  });

  test('when the reader scrolls up mid-answer, then the page stops following, and follows again from the bottom', async () => {
    suite.app.fake.enqueue({ steps: streamSteps(splitTokens(wordsAnswer(500), 6), { gap: 12 }) });
    const { page } = await openChat({ width: 800, height: 500 });
    const distanceFromBottom = () =>
      page.locator('#log').evaluate((log) => log.scrollHeight - log.scrollTop - log.clientHeight);

    await ask(page, 'A long one please');
    await waitForText(page, 1200);
    const followed = await distanceFromBottom();
    await page.locator('#log').hover();
    await page.mouse.wheel(0, -400);
    await page.waitForTimeout(200);
    const readingAt = await page.locator('#log').evaluate((log) => log.scrollTop);
    await page.waitForTimeout(500);
    const stillReadingAt = await page.locator('#log').evaluate((log) => log.scrollTop);
    const behind = await distanceFromBottom();
    await page.mouse.wheel(0, 100_000);
    await page.waitForTimeout(500);
    const caughtUp = await distanceFromBottom();

    expect(followed).toBeLessThan(48);
    expect(stillReadingAt).toBe(readingAt);
    expect(behind).toBeGreaterThan(300);
    expect(caughtUp).toBeLessThan(48);
    await expect(page.locator('article.msg--assistant').getAttribute('aria-busy')).resolves.toBe('true');
  });
});

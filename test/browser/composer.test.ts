import type { Page } from 'playwright-core';
import { streamSteps } from '../fakes/fake-openrouter';
import { splitTokens, wordsAnswer } from '../fakes/answers';
import { artifactPath } from '../helpers/browser';
import { answerText, ask, waitForFooter, waitForPageReady } from '../helpers/chat-page';
import { usePageSuite } from '../helpers/page-suite';

jest.setTimeout(60_000);

const suite = usePageSuite();

async function openChat() {
  const opened = await suite.open();
  await opened.page.goto(`${suite.app.origin}/ai-demo`);
  await waitForPageReady(opened.page);
  return opened;
}

const input = (page: Page) => page.getByRole('textbox', { name: 'Message' });
const lastAnswer = (page: Page) => page.locator('article.msg--assistant').last();

/** Resolves when the last answer shows at least `length` characters. */
async function waitForText(page: Page, length: number): Promise<void> {
  await page.waitForFunction((min) => {
    const answer = [...document.querySelectorAll('article.msg--assistant')].at(-1);
    const text = [...(answer?.querySelectorAll(':scope > [data-slot=committed], :scope > [data-slot=tail]') ?? [])];
    return text.reduce((n, slot) => n + (slot.textContent?.length ?? 0), 0) >= min;
  }, length);
}

describe('the composer while an answer streams', () => {
  test('when the reader types during a stream, then the answer neither stops nor loses a character, and nor does the text', async () => {
    const full = wordsAnswer(200);
    suite.app.fake.enqueue({ steps: streamSteps(splitTokens(full, 6), { gap: 20 }) });
    const { page, watch } = await openChat();
    const typed = 'The quick brown fox jumps over the lazy dog. Then: spaces, Enter-free, all kept! ';

    await ask(page, 'Count slowly');
    await waitForText(page, 20);
    await input(page).click();
    await page.keyboard.type(typed, { delay: 8 });
    const streamingWhileTyped = await lastAnswer(page).getAttribute('aria-busy');
    await waitForFooter(page);

    expect(streamingWhileTyped).toBe('true');
    await expect(input(page).inputValue()).resolves.toBe(typed);
    await expect(lastAnswer(page).locator('[data-slot=footer] .badge--note').count()).resolves.toBe(0);
    expect((await answerText(page)).trim()).toBe(full);
    await expect(page.locator('.msg--user .msg__text').allTextContents()).resolves.toEqual(['Count slowly']);
    expect(watch.consoleErrors).toEqual([]);
  });

  test('when Enter is pressed while an answer streams, then nothing is sent and the text stays for later', async () => {
    suite.app.fake.enqueue(
      { steps: streamSteps(splitTokens(wordsAnswer(120), 6), { gap: 20 }) },
      { steps: streamSteps(['Second.'], { gap: 5 }) },
    );
    const before = suite.app.fake.requests.length;
    const { page } = await openChat();

    await ask(page, 'First');
    await waitForText(page, 20);
    await input(page).fill('Second question');
    await input(page).press('Enter');
    await waitForFooter(page);

    await expect(input(page).inputValue()).resolves.toBe('Second question');
    expect(suite.app.fake.requests.length - before).toBe(1);
    await input(page).press('Enter');
    await page.locator('article.msg--assistant').nth(1).locator('[data-slot=footer] .stats').waitFor();
    await expect(page.locator('.msg--user .msg__text').allTextContents()).resolves.toEqual(['First', 'Second question']);
    await expect(input(page).inputValue()).resolves.toBe('');
  });

  test('when the server cannot be reached, then sending says so and keeps the text', async () => {
    const { page, watch } = await openChat();
    await page.route('**/ai-demo/messages', (route) => route.abort('connectionrefused'));

    await ask(page, 'Are you there?');
    const alert = page.locator('#composer [role=alert]:visible');
    await alert.waitFor();

    await expect(alert.textContent()).resolves.toBe(
      'Could not reach the server, so nothing was sent. Check your connection and send again.',
    );
    await expect(input(page).inputValue()).resolves.toBe('Are you there?');
    await expect(page.getByRole('button', { name: 'Send' }).isVisible()).resolves.toBe(true);
    await expect(page.locator('.msg--user').count()).resolves.toBe(0);
    expect(watch.pageErrors).toEqual([]);

    await page.unroute('**/ai-demo/messages');
    await page.getByRole('button', { name: 'Send' }).click();
    await waitForFooter(page);
    await expect(alert.count()).resolves.toBe(0);
    await expect(page.locator('.msg--user .msg__text').allTextContents()).resolves.toEqual(['Are you there?']);
  });
});

describe('a lost connection to a streaming answer', () => {
  test('when the stream drops and the reconnect takes a while, then "Reconnecting…" shows instead of "Responding…" until it is back', async () => {
    const full = wordsAnswer(150);
    suite.app.fake.enqueue({ steps: streamSteps(splitTokens(full, 6), { gap: 20 }) });
    const { page, watch } = await openChat();

    await ask(page, 'Keep going');
    await waitForText(page, 40);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/chat/streams/**', async (route) => {
      await released;
      await route.continue();
    });
    suite.app.dropConnections();
    const reconnecting = lastAnswer(page).getByText('Reconnecting…');
    await reconnecting.waitFor();
    const respondingVisible = await lastAnswer(page).getByText('Responding…').isVisible();
    await page.screenshot({ path: artifactPath('ai-demo-1280-reconnecting.png') });
    release();
    await waitForFooter(page);

    expect(respondingVisible).toBe(false);
    await expect(reconnecting.isVisible()).resolves.toBe(false);
    expect((await answerText(page)).trim()).toBe(full);
    await expect(lastAnswer(page).locator('[role=alert]:visible').count()).resolves.toBe(0);
    expect(watch.pageErrors).toEqual([]);
  });

  test('when reconnecting gives up, then a clear error with Retry replaces the status, and Retry answers in its place', async () => {
    suite.app.fake.enqueue(
      { steps: streamSteps(splitTokens(wordsAnswer(300), 6), { gap: 20 }) },
      { steps: streamSteps(['Back ', 'again.'], { gap: 10 }) },
    );
    const opened = await suite.open();
    const { page, watch } = opened;
    // Few and quick reconnects, so giving up takes well under a second rather than half a minute.
    await page.route('**/ai-demo', async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace('"reconnectMaxAttempts":6', '"reconnectMaxAttempts":2,"reconnectDelay":20');
      await route.fulfill({ response, body });
    });
    await page.goto(`${suite.app.origin}/ai-demo`);
    await waitForPageReady(page);

    await ask(page, 'Long one');
    await waitForText(page, 40);
    await page.route('**/api/chat/streams/**', (route) => route.abort('connectionrefused'));
    suite.app.dropConnections();
    const error = lastAnswer(page).locator('.answer-error[role=alert]');
    await error.waitFor();

    await expect(error.locator('p').textContent()).resolves.toBe(
      'The connection to this answer was lost and could not be restored. Retry to ask again.',
    );
    await expect(lastAnswer(page).getByText('Responding…').isVisible()).resolves.toBe(false);
    await expect(lastAnswer(page).getByText('Reconnecting…').isVisible()).resolves.toBe(false);
    await expect(lastAnswer(page).getAttribute('aria-busy')).resolves.toBeNull();
    await expect(page.getByRole('button', { name: 'Send' }).isVisible()).resolves.toBe(true);

    await page.unroute('**/api/chat/streams/**');
    await error.getByRole('button', { name: 'Retry' }).click();
    await waitForFooter(page);
    await expect(answerText(page).then((t) => t.trim())).resolves.toBe('Back again.');
    await expect(page.locator('article.msg--assistant').count()).resolves.toBe(1);
    await expect(page.locator('.msg--user .msg__text').allTextContents()).resolves.toEqual(['Long one']);
    expect(watch.pageErrors).toEqual([]);
  });
});

describe('Copy on a code block that is still streaming', () => {
  test('when Copy is pressed while the block is rebuilt under the pointer, then what the block showed is copied', async () => {
    // Short enough to fit the window, so the page need not scroll and the button stays put.
    const code = Array.from({ length: 30 }, (_, i) => `line_${i} = ${i}`).join('\n');
    suite.app.fake.enqueue({ steps: streamSteps(splitTokens(`\`\`\`python\n${code}\n\`\`\`\n`, 2), { gap: 40 }) });
    const opened = await suite.open({ height: 1400 });
    const { page, watch } = opened;
    await opened.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.app.origin });
    await page.goto(`${suite.app.origin}/ai-demo`);
    await waitForPageReady(page);

    await ask(page, 'Code');
    const copy = lastAnswer(page).locator('[data-slot=tail] .code-copy');
    await copy.waitFor();
    // A slow machine may show the button while the block holds a few characters: wait for a few lines.
    await page.waitForFunction(() => {
      const answer = [...document.querySelectorAll('article.msg--assistant')].at(-1);
      return (answer?.querySelector(':scope > [data-slot=tail] pre code')?.textContent ?? '').length >= 40;
    });
    await page.evaluate(() => {
      document.addEventListener('pointerdown', (event) => {
        (window as unknown as { __pressed: EventTarget | null }).__pressed = event.target;
      });
    });
    // The button is rebuilt many times a second: find and measure it in one go.
    const box = await page.evaluate(() => {
      const answer = [...document.querySelectorAll('article.msg--assistant')].at(-1)!;
      const rect = answer.querySelector(':scope > [data-slot=tail] .code-copy')!.getBoundingClientRect();
      return { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 };
    });
    await page.mouse.move(box.x, box.y);
    await page.mouse.down();
    await page.waitForTimeout(150);
    await page.mouse.up();
    const pressedWasReplaced = await page.evaluate(
      () => !((window as unknown as { __pressed: Node }).__pressed.isConnected),
    );
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    await waitForFooter(page);

    expect(pressedWasReplaced).toBe(true);
    expect(copied.length).toBeGreaterThanOrEqual(40);
    expect(`${code}\n`.startsWith(copied.replace(/\n?$/, '').slice(0, -1))).toBe(true);
    expect(watch.consoleErrors).toEqual([]);
  });
});

import type { Page } from 'playwright-core';
import { streamSteps } from '../fakes/fake-openrouter';
import { MARKDOWN_ANSWER, splitTokens, wordsAnswer } from '../fakes/answers';
import { waitForFooter, waitForPageReady } from '../helpers/chat-page';
import { usePageSuite } from '../helpers/page-suite';

jest.setTimeout(60_000);

const suite = usePageSuite({ OPENROUTER_MODELS: 'anthropic/claude-3.5-haiku' });

/** The focused element, described the way a screen reader would name it. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    const name = el.getAttribute('aria-label') ?? (el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null);
    return `${el.tagName.toLowerCase()}:${name ?? el.textContent?.trim() ?? ''}`;
  });
}

async function waitForFocus(page: Page, expected: string): Promise<void> {
  for (let i = 0; i < 50 && (await focused(page)) !== expected; i++) await page.waitForTimeout(50);
  expect(await focused(page)).toBe(expected);
}

describe('the page by keyboard only', () => {
  test('when a question is typed and sent with Enter, then the focus stays in the input, which stays typeable while the answer streams', async () => {
    suite.app.fake.enqueue({ steps: streamSteps(splitTokens(MARKDOWN_ANSWER, 6), { gap: 15 }) });
    const opened = await suite.open();
    const { page, watch } = opened;
    await opened.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.app.origin });
    await page.goto(`${suite.app.origin}/ai-demo`);
    await waitForPageReady(page);

    // The input has the focus from the start.
    await waitForFocus(page, 'textarea:Message');
    await page.keyboard.press('Tab');
    await waitForFocus(page, 'select:Model');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.type('First line');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('second line');
    await expect(page.getByRole('textbox', { name: 'Message' }).inputValue()).resolves.toBe('First line\nsecond line');
    await page.keyboard.press('Enter');

    await page.getByRole('button', { name: 'Stop' }).waitFor();
    await expect(page.getByRole('textbox', { name: 'Message' }).isEnabled()).resolves.toBe(true);
    await expect(focused(page)).resolves.toBe('textarea:Message');
    await page.keyboard.type('next ');
    await waitForFooter(page);
    await waitForFocus(page, 'textarea:Message');
    await expect(page.getByRole('textbox', { name: 'Message' }).inputValue()).resolves.toBe('next ');
    await expect(page.locator('.msg--user .msg__text').textContent()).resolves.toBe('First line\nsecond line');
    await expect(page.locator('[data-slot=footer] .badge--note').count()).resolves.toBe(0);

    // Back from the input: the answer's Regenerate, its Copy, then its code block's Copy.
    await page.keyboard.press('Shift+Tab');
    await waitForFocus(page, 'button:Regenerate');
    await page.keyboard.press('Shift+Tab');
    await waitForFocus(page, 'button:Copy');
    await page.keyboard.press('Shift+Tab');
    await waitForFocus(page, 'button:Copy');
    await expect(page.evaluate(() => document.activeElement?.className)).resolves.toBe('code-copy');
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(
      'def greet(name):\n    return f"Hello, {name}!"\n',
    );
    expect(watch.consoleErrors).toEqual([]);
  });

  test('when Escape is pressed mid-answer, then the answer stops and the focus never leaves the input', async () => {
    suite.app.fake.enqueue({ steps: streamSteps(splitTokens(wordsAnswer(300), 6), { gap: 25 }) });
    const opened = await suite.open();
    const { page, watch } = opened;
    await page.goto(`${suite.app.origin}/ai-demo`);
    await waitForPageReady(page);

    await waitForFocus(page, 'textarea:Message');
    await page.keyboard.type('Go on and on');
    await page.keyboard.press('Enter');
    await page.getByText('Responding…').waitFor();
    await expect(focused(page)).resolves.toBe('textarea:Message');
    await page.keyboard.press('Escape');
    await waitForFooter(page);

    await expect(page.locator('[data-slot=footer] .badge--note').textContent()).resolves.toBe('Stopped');
    await expect(focused(page)).resolves.toBe('textarea:Message');
    expect(watch.consoleErrors).toEqual([]);
  });

  test('when Stop is clicked, then the answer stops and the focus stays in the input', async () => {
    suite.app.fake.enqueue({ steps: streamSteps(splitTokens(wordsAnswer(300), 6), { gap: 25 }) });
    const opened = await suite.open();
    const { page } = opened;
    await page.goto(`${suite.app.origin}/ai-demo`);
    await waitForPageReady(page);

    await page.getByRole('textbox', { name: 'Message' }).click();
    await page.keyboard.type('Go on');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Responding…').waitFor();
    await expect(focused(page)).resolves.toBe('textarea:Message');
    await page.getByRole('button', { name: 'Stop' }).click();
    await waitForFooter(page);

    await expect(page.locator('[data-slot=footer] .badge--note').textContent()).resolves.toBe('Stopped');
    await expect(focused(page)).resolves.toBe('textarea:Message');
  });

  test('when Enter is pressed in an empty input, then nothing is sent', async () => {
    const opened = await suite.open();
    const { page } = opened;
    const before = suite.app.fake.requests.length;
    await page.goto(`${suite.app.origin}/ai-demo`);
    await waitForPageReady(page);

    await waitForFocus(page, 'textarea:Message');
    await page.keyboard.type('   ');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);

    await expect(page.locator('article.msg--assistant').count()).resolves.toBe(0);
    expect(suite.app.fake.requests.length).toBe(before);
  });
});

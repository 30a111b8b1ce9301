import { artifactPath } from '../helpers/browser';
import { answerText, ask, waitForFooter, waitForPageReady } from '../helpers/chat-page';
import { usePageSuite } from '../helpers/page-suite';

jest.setTimeout(60_000);

// No key: the mock answers, with markdown of every kind worth a screenshot.
const suite = usePageSuite({ OPENROUTER_API_KEY: '', MOCK_DELAY_MS: '4' });

describe('the /ai-demo page', () => {
  test('when it loads, then no console error occurs and no request leaves the app', async () => {
    const opened = await suite.open();
    const { page, watch } = opened;
    const failed: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });

    await page.goto(`${suite.app.origin}/`);
    await waitForPageReady(page);

    expect(page.url()).toBe(`${suite.app.origin}/ai-demo`);
    await expect(page.getByRole('log').count()).resolves.toBe(1);
    await expect(page.getByRole('textbox', { name: 'Message' }).isEnabled()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Send' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Stop' }).isVisible()).resolves.toBe(false);
    expect(watch).toEqual({ consoleErrors: [], pageErrors: [], dialogs: [], foreignRequests: [] });
    expect(failed).toEqual([]);
  });

  test.each([
    { width: 1440, height: 900, colorScheme: 'light' as const },
    { width: 375, height: 812, colorScheme: 'light' as const },
    { width: 375, height: 812, colorScheme: 'dark' as const },
  ])('when the mock answers at $width px ($colorScheme), then the mock badge shows and a screenshot is saved', async (view) => {
    const opened = await suite.open(view);
    const { page, watch } = opened;
    await page.goto(`${suite.app.origin}/ai-demo`);
    await waitForPageReady(page);

    await ask(page, 'What can this page do?');
    await waitForFooter(page);

    const answer = page.locator('article.msg--assistant').last();
    await expect(answer.locator('[data-slot=footer] .badge--mock').textContent()).resolves.toBe('mock');
    await expect(answer.locator('[data-slot=source] .badge--mock').isVisible()).resolves.toBe(true);
    await expect(answer.locator('[data-slot=source]').textContent()).resolves.toContain('No OPENROUTER_API_KEY is set');
    expect(await answerText(page)).toContain('This reply comes from the built-in mock');
    // Nothing is wider than the screen: wide tables and code scroll inside the column.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: artifactPath(`ai-demo-${view.width}-${view.colorScheme}.png`) });
    await page.locator('#log').evaluate((log) => log.scrollTo(0, 0));
    await page.screenshot({ path: artifactPath(`ai-demo-${view.width}-${view.colorScheme}-top.png`) });
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
  });
});

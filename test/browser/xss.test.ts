import { streamSteps } from '../fakes/fake-openrouter';
import { PAGE_XSS_PAYLOADS, splitTokens } from '../fakes/answers';
import { ask, waitForFooter, waitForPageReady } from '../helpers/chat-page';
import { usePageSuite } from '../helpers/page-suite';
import dompurifyPayloads from './fixtures/xss-payloads.json';

jest.setTimeout(60_000);

const suite = usePageSuite();

/** Every payload, as markdown paragraphs and inside a list, as a model might stream them. */
function hostileAnswer(): string {
  const payloads = [...dompurifyPayloads.map((p) => p.payload), ...PAGE_XSS_PAYLOADS];
  return [
    'Here is everything at once:',
    ...payloads,
    payloads.slice(0, 5).map((p) => `- ${p.replace(/\n/g, ' ')}`).join('\n'),
    'The end.',
  ].join('\n\n');
}

describe('an answer full of XSS payloads', () => {
  test('when it streams into the page, then nothing executes, no dialog opens and nothing leaves the app', async () => {
    suite.app.fake.enqueue({ steps: streamSteps(splitTokens(hostileAnswer(), 7), { gap: 2 }) });
    const opened = await suite.open();
    const { page, watch } = opened;
    await page.goto(`${suite.app.origin}/ai-demo`);
    await waitForPageReady(page);

    await ask(page, 'Show me your worst');
    await waitForFooter(page);
    // Poke everything that survived: hover, focus and click, with navigation held back.
    await page.evaluate(() => {
      document.addEventListener('click', (event) => event.preventDefault(), { capture: true });
      // The model's HTML only: the footer is our own markup, with real buttons (Regenerate).
      for (const el of document.querySelectorAll('article.msg--assistant :is([data-slot=committed], [data-slot=tail]) *')) {
        for (const type of ['mouseover', 'mouseout', 'mousedown', 'focus', 'toggle']) {
          el.dispatchEvent(new Event(type, { bubbles: true }));
        }
        if (el instanceof HTMLElement) {
          el.focus();
          el.click();
        }
      }
    });
    await page.waitForTimeout(300);

    await expect(page.evaluate(() => window.__xss)).resolves.toBeUndefined();
    expect(watch.dialogs).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
    await expect(page.locator('#composer').count()).resolves.toBe(1);
    await expect(page.locator('article.msg--assistant').count()).resolves.toBe(1);
    await expect(page.getByText('The end.').count()).resolves.toBe(1);
    // Nothing in the answer can drive htmx or Alpine, whatever the renderer let through.
    const live = await page.evaluate(
      () =>
        [...document.querySelectorAll('article.msg--assistant :is([data-slot=committed], [data-slot=tail], [data-slot=source]) *')].filter((el) =>
          [...el.attributes].some((a) => /^(hx-|data-hx-|x-|@|:|on)/.test(a.name)),
        ).length,
    );
    expect(live).toBe(0);
  });
});

import { streamSteps } from '../fakes/fake-openrouter';
import { answerText, ask, waitForFooter, waitForPageReady } from '../helpers/chat-page';
import { usePageSuite } from '../helpers/page-suite';

jest.setTimeout(60_000);

// Three answers a minute: the shutdown test spends two, the rate-limit test the rest.
const suite = usePageSuite({ RATE_LIMIT_STREAM_PER_MIN: '3' });

async function openChat() {
  const opened = await suite.open();
  await opened.page.goto(`${suite.app.origin}/ai-demo`);
  await waitForPageReady(opened.page);
  return opened;
}

describe('the page and the guards', () => {
  test('when the server shuts down mid-answer, then the answer says it is restarting, and Retry asks the question again', async () => {
    suite.app.fake.enqueue(
      { steps: streamSteps(['One ', 'token ', 'at ', 'a ', 'time ', 'and ', 'slowly.'], { gap: 300 }) },
      { steps: streamSteps(['Back ', 'again.'], { gap: 20 }) },
    );
    const { page, watch } = await openChat();

    await ask(page, 'Are you there?');
    await page.waitForFunction(() => (document.querySelector('article.msg--assistant [data-slot=tail]')?.textContent ?? '').length > 0);
    await suite.app.registry.shutDownAll();
    await waitForFooter(page);
    const footer = page.locator('article.msg--assistant [data-slot=footer]');
    await expect(footer.locator('.badge--note').textContent()).resolves.toBe('Cut short: the server is restarting');

    await footer.getByRole('button', { name: 'Retry' }).click();
    await page.locator('article.msg--assistant').nth(1).locator('[data-slot=footer] .stats').waitFor();
    await expect(answerText(page).then((t) => t.trim())).resolves.toBe('Back again.');
    await expect(page.locator('.msg--user .msg__text').allTextContents()).resolves.toEqual(['Are you there?', 'Are you there?']);
    expect(watch.pageErrors).toEqual([]);
  });

  test('when the answer budget is spent, then the form says so and when to try again', async () => {
    const { page } = await openChat();
    const error = page.locator('#form-error [role=alert] p');
    // Whatever is left of the budget of three is spent first.
    for (let asked = 0; (await error.count()) === 0 && asked < 4; asked++) {
      await ask(page, `Question ${asked}`);
      await Promise.race([waitForFooter(page), error.waitFor()]);
    }
    await expect(error.textContent()).resolves.toMatch(/^Too many answers started: this server allows 3 a minute\. Try again in \d+ seconds?\.$/);
    await expect(page.getByRole('textbox', { name: 'Message' }).isEnabled()).resolves.toBe(true);
  });
});

import { chunk, errorScenario, usageChunk, type Step } from '../fakes/fake-openrouter';
import { artifactPath } from '../helpers/browser';
import { answerText, ask, recordSnapshots, waitForFooter, waitForPageReady } from '../helpers/chat-page';
import { usePageSuite } from '../helpers/page-suite';

jest.setTimeout(60_000);

const suite = usePageSuite({ UPSTREAM_RETRIES: '2' });

async function openChat() {
  const opened = await suite.open();
  await recordSnapshots(opened.page);
  await opened.page.goto(`${suite.app.origin}/ai-demo`);
  await waitForPageReady(opened.page);
  return opened;
}

const frame = (data: string): Step => ({ write: `data: ${data}\n\n` });

/** A reasoning model: queued, thinks in steps (markup included, which must stay text), then answers. */
function reasoningSteps(thoughts: string[], answer: string[]): Step[] {
  const steps: Step[] = [{ write: ': OPENROUTER PROCESSING\n\n' }, { delay: 300 }];
  for (const thought of thoughts) steps.push(frame(chunk({ content: '', reasoning: thought })), { delay: 300 });
  for (const token of answer) steps.push(frame(chunk({ content: token })), { delay: 40 });
  steps.push(frame(chunk({ content: '' }, 'stop')), frame(usageChunk()), frame('[DONE]'));
  return steps;
}

const THOUGHTS = ['The user asks about ', 'Python. <img src=x onerror="window.__xss=1"> ', 'I will keep it **short**.'];

describe('the Thinking disclosure and the stage line', () => {
  test('when a model reasons, then the stages show in turn, the reasoning streams as text into an open disclosure that folds to "Thought for N s"', async () => {
    suite.app.fake.enqueue({ headerDelay: 300, steps: reasoningSteps(THOUGHTS, ['Python ', 'is ', 'a ', 'language.']) });
    const { page, watch } = await openChat();
    await ask(page, 'What is Python?');

    const answer = page.locator('article.msg--assistant').last();
    const thinking = answer.locator(':scope > [data-slot=thinking] > details.thinking');
    // Checked in the page as it changes: while the model thinks, the disclosure is open, says so, and grows.
    await page.waitForFunction(() => {
      const answer = [...document.querySelectorAll('article.msg--assistant')].at(-1);
      const details = answer?.querySelector(':scope > [data-slot=thinking] > details.thinking') as HTMLDetailsElement | null;
      return (
        details?.open === true &&
        details.querySelector('summary')?.textContent === 'Thinking…' &&
        details.querySelector('[data-part=text]')?.textContent?.startsWith('The user asks about Python.') === true &&
        answer?.querySelector(':scope > header > [data-slot=status]')?.textContent === 'Thinking…'
      );
    });
    await page.screenshot({ path: artifactPath('ai-demo-thinking.png') });

    await waitForFooter(page);
    await expect(thinking.getAttribute('open')).resolves.toBeNull();
    await expect(thinking.locator('summary').textContent()).resolves.toMatch(/^Thought for (less than a second|\d+ s)$/);
    // Untrusted reasoning is text: the markup in it shows as written and nothing in it runs.
    await expect(thinking.locator('[data-part=text]').textContent()).resolves.toBe(THOUGHTS.join(''));
    await expect(thinking.locator('[data-part=text] *').count()).resolves.toBe(0);
    expect(await page.evaluate(() => window.__xss)).toBeUndefined();
    expect((await answerText(page)).trim()).toBe('Python is a language.');

    // Folded, not gone: the reader can open it again.
    await thinking.locator('summary').click();
    await expect(thinking.getAttribute('open')).resolves.toBe('');

    const snapshots = (await page.evaluate(() => window.__snapshots))!;
    const statuses = snapshots.map((s) => s.status).filter((s, i, all) => s !== all[i - 1]);
    expect(statuses).toEqual(['Starting…', 'Connecting to the model…', 'Waiting for the model…', 'Thinking…', 'Responding…', '']);
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
  });

  test('when the upstream rate-limits before answering, then the stage line says it retries and when, and the model answers', async () => {
    suite.app.fake.enqueue(errorScenario(429, 'Rate limited', { 'Retry-After': '1' }), {
      steps: reasoningSteps([], ['Fine.']),
    });
    const { page } = await openChat();
    await ask(page, 'Hi');
    await page.getByText('Retrying in 1 s (rate limited)…').waitFor();
    await waitForFooter(page);
    expect((await answerText(page)).trim()).toBe('Fine.');
    // Without reasoning there is no disclosure at all.
    await expect(page.locator('article.msg--assistant').last().locator('details.thinking').count()).resolves.toBe(0);
    const statuses = (await page.evaluate(() => window.__snapshots))!.map((s) => s.status).filter((s, i, all) => s !== all[i - 1]);
    expect(statuses).toContain('Retrying in 1 s (rate limited)…');
    expect(statuses.slice(-2)).toEqual(['Responding…', '']);
  });

  test('when a viewer reloads after the answer, then the disclosure is there, folded, with all the reasoning', async () => {
    suite.app.fake.enqueue({ steps: reasoningSteps(['Short thought.'], ['Done.']) });
    const { page } = await openChat();
    await ask(page, 'Hi');
    await waitForFooter(page);
    await page.reload();
    await waitForFooter(page);
    const thinking = page.locator('article.msg--assistant').last().locator('details.thinking');
    await expect(thinking.getAttribute('open')).resolves.toBeNull();
    await expect(thinking.locator('[data-part=text]').textContent()).resolves.toBe('Short thought.');
  });
});

import type { Page } from 'playwright-core';

/** What the conversation looked like at each change, recorded in the page. */
export interface Snapshot {
  at: number;
  answerLength: number;
  status: string;
  footer: boolean;
}

declare global {
  interface Window {
    __snapshots?: Snapshot[];
    __xss?: unknown;
  }
}

/** Records a Snapshot of the last answer at every DOM change of the conversation. */
export async function recordSnapshots(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.__snapshots = [];
    document.addEventListener('DOMContentLoaded', () => {
      const messages = document.getElementById('messages');
      if (!messages) return;
      new MutationObserver(() => {
        const answer = [...messages.querySelectorAll('article.msg--assistant')].at(-1);
        if (!answer) return;
        const text = [...answer.querySelectorAll(':scope > [data-slot=committed], :scope > [data-slot=tail]')]
          .map((slot) => slot.textContent ?? '')
          .join('');
        window.__snapshots!.push({
          at: performance.now(),
          answerLength: text.length,
          status: answer.querySelector(':scope > header > [data-slot=status]')?.textContent ?? '',
          footer: answer.querySelector(':scope > [data-slot=footer] .stats') !== null,
        });
      }).observe(messages, { childList: true, subtree: true, characterData: true });
    });
  });
}

/** Waits until htmx and Alpine have both taken over the page. */
export async function waitForPageReady(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const w = window as unknown as { htmx?: unknown; Alpine?: unknown };
    const stop = document.querySelector('.btn--stop');
    const composer = document.getElementById('composer');
    return (
      w.htmx !== undefined &&
      w.Alpine !== undefined &&
      composer?.hasAttribute('data-htmx-powered') === true &&
      stop !== null &&
      !stop.hasAttribute('x-cloak')
    );
  });
}

/** Types a question into the form and sends it with the Send button. */
export async function ask(page: Page, question: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(question);
  await page.getByRole('button', { name: 'Send' }).click();
}

/** The last answer's text as the reader sees it, without the code blocks' Copy bars. */
export async function answerText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const answer = [...document.querySelectorAll('article.msg--assistant')].at(-1);
    if (!answer) return '';
    return [...answer.querySelectorAll(':scope > [data-slot=committed], :scope > [data-slot=tail]')]
      .map((slot) => {
        const copy = slot.cloneNode(true) as Element;
        copy.querySelectorAll('.code-bar').forEach((bar) => bar.remove());
        return copy.textContent ?? '';
      })
      .join('');
  });
}

/** Resolves once the last answer shows its footer (it ended with `complete`). */
export async function waitForFooter(page: Page, timeout = 20_000): Promise<void> {
  await page.locator('article.msg--assistant').last().locator('[data-slot=footer] .stats').waitFor({ timeout });
}

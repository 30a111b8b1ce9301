import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { streamSteps } from '../fakes/fake-openrouter';
import { artifactPath } from '../helpers/browser';
import { ask, waitForPageReady } from '../helpers/chat-page';
import { usePageSuite } from '../helpers/page-suite';

jest.setTimeout(90_000);

const suite = usePageSuite();

async function openChat(options: { width?: number; height?: number } = {}) {
  const opened = await suite.open(options);
  await opened.page.goto(`${suite.app.origin}/ai-demo`);
  await waitForPageReady(opened.page);
  return opened;
}

const answers = (page: Page) => page.locator('article.msg--assistant');
const questions = (page: Page) => page.locator('.msg--user .msg__text').allTextContents();
const answerTexts = (page: Page) =>
  page.locator('article.msg--assistant [data-slot=committed]').evaluateAll((slots) => slots.map((s) => s.textContent?.trim()));

/** Asks and waits for the n-th answer (1-based) to show its footer. */
async function askAndWait(page: Page, question: string, answer: string, n: number): Promise<void> {
  suite.app.fake.enqueue({ steps: streamSteps(answer.split(/(?<= )/), { gap: 10 }) });
  await ask(page, question);
  await answers(page).nth(n - 1).locator('[data-slot=footer] .stats').waitFor();
}

describe('conversations on the page', () => {
  test('when a three-turn conversation is reloaded, then every word is still there and the model was sent the history', async () => {
    const before = suite.app.fake.requests.length;
    const { page, watch } = await openChat();

    await askAndWait(page, 'My name is Ada.', 'Hello Ada.', 1);
    expect(page.url()).toMatch(/\/ai-demo\/c\/[\w-]+$/);
    const url = page.url();
    await askAndWait(page, 'What is 2+2?', 'It is 4.', 2);
    await askAndWait(page, 'What is my name?', 'Your name is Ada.', 3);
    await page.reload();
    await waitForPageReady(page);

    expect(page.url()).toBe(url);
    await expect(questions(page)).resolves.toEqual(['My name is Ada.', 'What is 2+2?', 'What is my name?']);
    await expect(answerTexts(page)).resolves.toEqual(['Hello Ada.', 'It is 4.', 'Your name is Ada.']);
    await expect(answers(page).locator('[data-slot=footer] .stats').count()).resolves.toBe(3);
    await expect(page.locator('.conversation__title').textContent()).resolves.toBe('My name is Ada.');
    const third = (suite.app.fake.requests[before + 2]!.body as { messages: { role: string; content: string }[] }).messages;
    expect(third.filter((m) => m.role !== 'system')).toEqual([
      { role: 'user', content: 'My name is Ada.' },
      { role: 'assistant', content: 'Hello Ada.' },
      { role: 'user', content: 'What is 2+2?' },
      { role: 'assistant', content: 'It is 4.' },
      { role: 'user', content: 'What is my name?' },
    ]);
    expect(watch.consoleErrors).toEqual([]);
  });

  test('when a second conversation is started, then the sidebar lists both, newest first, and back and forward move between them', async () => {
    const { page, watch } = await openChat();
    await askAndWait(page, 'First topic', 'One.', 1);
    const firstUrl = page.url();

    await page.getByRole('link', { name: 'New chat' }).click();
    await waitForPageReady(page);
    await expect(answers(page).count()).resolves.toBe(0);
    await askAndWait(page, 'Second topic', 'Two.', 1);
    const secondUrl = page.url();
    const sidebar = page.locator('#conversations .sidebar__link');
    await expect(sidebar.allTextContents()).resolves.toEqual(expect.arrayContaining(['Second topic', 'First topic']));
    const listed = await sidebar.allTextContents();
    expect(listed.indexOf('Second topic')).toBeLessThan(listed.indexOf('First topic'));
    await expect(page.locator('#conversations [aria-current=page]').textContent()).resolves.toBe('Second topic');

    await sidebar.filter({ hasText: 'First topic' }).click();
    await waitForPageReady(page);
    expect(page.url()).toBe(firstUrl);
    await expect(questions(page)).resolves.toEqual(['First topic']);
    await expect(answerTexts(page)).resolves.toEqual(['One.']);

    await page.goBack();
    await waitForPageReady(page);
    expect(page.url()).toBe(secondUrl);
    await expect(questions(page)).resolves.toEqual(['Second topic']);
    await page.goForward();
    await waitForPageReady(page);
    expect(page.url()).toBe(firstUrl);
    await expect(questions(page)).resolves.toEqual(['First topic']);
    expect(watch.consoleErrors).toEqual([]);
  });

  test('when the last answer is regenerated and the last question edited, then each replaces what it stands for, also after a reload', async () => {
    const { page, watch } = await openChat();
    await askAndWait(page, 'Tell me a colour', 'Red.', 1);
    await askAndWait(page, 'Another colour', 'Blue.', 2);
    // Only the last answer offers Regenerate and only the last question Edit.
    await expect(page.getByRole('button', { name: 'Regenerate' }).count()).resolves.toBe(1);
    await expect(page.getByRole('button', { name: 'Edit' }).count()).resolves.toBe(1);

    suite.app.fake.enqueue({ steps: streamSteps(['Green.'], { gap: 10 }) });
    await page.getByRole('button', { name: 'Regenerate' }).click();
    await page.getByText('Green.').waitFor();
    await answers(page).nth(1).locator('[data-slot=footer] .stats').waitFor();
    await expect(answerTexts(page)).resolves.toEqual(['Red.', 'Green.']);

    suite.app.fake.enqueue({ steps: streamSteps(['Purple.'], { gap: 10 }) });
    await page.getByRole('button', { name: 'Edit' }).click();
    const editor = page.getByRole('textbox', { name: 'Edit your message' });
    await expect(editor.inputValue()).resolves.toBe('Another colour');
    await editor.fill('A royal colour');
    await page.getByRole('button', { name: 'Send again' }).click();
    await page.getByText('Purple.').waitFor();
    await answers(page).nth(1).locator('[data-slot=footer] .stats').waitFor();
    await expect(questions(page)).resolves.toEqual(['Tell me a colour', 'A royal colour']);
    await expect(answerTexts(page)).resolves.toEqual(['Red.', 'Purple.']);

    await page.reload();
    await waitForPageReady(page);
    await expect(questions(page)).resolves.toEqual(['Tell me a colour', 'A royal colour']);
    await expect(answerTexts(page)).resolves.toEqual(['Red.', 'Purple.']);
    expect(watch.consoleErrors).toEqual([]);
  });

  test('when a stale tab presses Regenerate on an answer another tab has gone past, then it says so and nothing is replaced', async () => {
    const { page: first } = await openChat();
    await askAndWait(first, 'One', 'First.', 1);
    const url = first.url();
    const { page: second } = await suite.open();
    await second.goto(url);
    await waitForPageReady(second);
    await askAndWait(second, 'Two', 'Second.', 2);
    const asked = suite.app.fake.requests.length;

    // The first tab still shows "First." as the last answer, with its Regenerate.
    await first.getByRole('button', { name: 'Regenerate' }).click();

    await expect(first.locator('#form-error [role=alert] p').textContent()).resolves.toBe(
      'That answer is no longer the last one: the conversation changed since it was shown. Reload it to see the latest answer.',
    );
    await expect(answerTexts(first)).resolves.toEqual(['First.']);
    expect(suite.app.fake.requests.length).toBe(asked);
    await first.reload();
    await waitForPageReady(first);
    await expect(questions(first)).resolves.toEqual(['One', 'Two']);
    await expect(answerTexts(first)).resolves.toEqual(['First.', 'Second.']);
  });

  test('when Copy under an answer is pressed, then its markdown is copied', async () => {
    const opened = await openChat();
    const { page } = opened;
    await opened.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.app.origin });
    await askAndWait(page, 'Bold?', '**Bold** and `code`.', 1);

    await answers(page).first().getByRole('button', { name: 'Copy' }).click();

    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe('**Bold** and `code`.');
  });

  test('when the conversation is exported, then .md and .json files download', async () => {
    const { page } = await openChat();
    await askAndWait(page, 'Export me', 'Exported.', 1);

    const [md] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export .md' }).click()]);
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export .json' }).click()]);

    expect(md.suggestedFilename()).toMatch(/\.md$/);
    const markdown = readFileSync((await md.path())!, 'utf8');
    expect(markdown).toContain('Export me');
    expect(markdown).toContain('Exported.');
    expect(json.suggestedFilename()).toMatch(/\.json$/);
    const parsed = JSON.parse(readFileSync((await json.path())!, 'utf8')) as unknown;
    expect(JSON.stringify(parsed)).toContain('Exported.');
  });

  test('when the conversation is renamed, then the title bar and the sidebar show the new name, also after a reload', async () => {
    const { page, watch } = await openChat();
    await askAndWait(page, 'Untitled thoughts', 'Fine.', 1);

    await page.getByRole('button', { name: 'Rename' }).click();
    const title = page.getByRole('textbox', { name: 'Conversation title' });
    await title.fill('Deep thoughts');
    await title.press('Enter');
    await page.locator('.conversation__title', { hasText: 'Deep thoughts' }).waitFor();

    await expect(page.locator('#conversations [aria-current=page]').textContent()).resolves.toBe('Deep thoughts');
    await page.reload();
    await waitForPageReady(page);
    await expect(page.locator('.conversation__title').textContent()).resolves.toBe('Deep thoughts');
    await expect(page.title()).resolves.toBe('Deep thoughts · Streaming Chat');
    expect(watch.consoleErrors).toEqual([]);
  });

  test('when Delete is pressed, then it asks first; kept, nothing changes; confirmed, the conversation is gone', async () => {
    const { page } = await openChat();
    await askAndWait(page, 'Delete me soon', 'Okay.', 1);
    const url = page.url();

    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Delete this conversation for good?').waitFor();
    await page.getByRole('button', { name: 'Keep it' }).click();
    await expect(page.getByText('Delete this conversation for good?').isVisible()).resolves.toBe(false);
    await expect(questions(page)).resolves.toEqual(['Delete me soon']);

    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await Promise.all([
      page.waitForURL(`${suite.app.origin}/ai-demo`),
      page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click(),
    ]);
    await waitForPageReady(page);
    await expect(page.locator('#conversations').textContent()).resolves.not.toContain('Delete me soon');
    const gone = await page.goto(url);
    expect(gone!.status()).toBe(404);
  });
});

describe('the page layout', () => {
  test('when the page is wide, then the sidebar sits beside the chat; at 375 px it is a drawer', async () => {
    const desktop = await openChat({ width: 1280, height: 800 });
    await askAndWait(desktop.page, 'Show me a layout', 'Here is some **text** and:\n\n```js\nconst x = 1;\n```\n', 1);
    await desktop.page.screenshot({ path: artifactPath('ai-demo-1280-conversation.png') });
    const sidebarBox = (await desktop.page.locator('#sidebar').boundingBox())!;
    const logBox = (await desktop.page.locator('#log').boundingBox())!;
    expect(sidebarBox.width).toBeGreaterThan(200);
    expect(logBox.x).toBeGreaterThanOrEqual(sidebarBox.x + sidebarBox.width - 1);
    await expect(desktop.page.getByRole('button', { name: 'Conversations' }).isVisible()).resolves.toBe(false);

    const phone = await suite.open({ width: 375, height: 740 });
    const { page } = phone;
    await page.goto(desktop.page.url());
    await waitForPageReady(page);
    await expect(page.locator('#sidebar').isVisible()).resolves.toBe(false);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(375);
    await page.screenshot({ path: artifactPath('ai-demo-375-conversation.png') });

    await page.getByRole('button', { name: 'Conversations' }).click();
    await page.locator('#sidebar').getByRole('link', { name: 'Show me a layout' }).waitFor();
    await expect(page.getByRole('button', { name: 'Conversations' }).getAttribute('aria-expanded')).resolves.toBe('true');
    await page.waitForTimeout(300);
    await page.screenshot({ path: artifactPath('ai-demo-375-drawer.png') });
    await page.keyboard.press('Escape');
    await page.locator('#sidebar').waitFor({ state: 'hidden' });
  });
});

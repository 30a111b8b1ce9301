import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import type { Page } from 'playwright-core';
import { streamSteps } from '../fakes/fake-openrouter';
import { artifactPath } from '../helpers/browser';
import { ask, waitForFooter, waitForPageReady } from '../helpers/chat-page';
import { usePageSuite } from '../helpers/page-suite';

jest.setTimeout(60_000);

const dir = mkdtempSync(path.join(tmpdir(), 'documents-page-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const suite = usePageSuite({ DATABASE_PATH: path.join(dir, 'chat.db') });

declare global {
  interface Window {
    /** Every sentence the last answer's stage line showed, in order. */
    __stages?: string[];
  }
}

const HANDBOOK = [
  '# Leave',
  '',
  '## Annual leave',
  '',
  'Every employee has 25 days of annual leave a year. Unused days carry over until March.',
  '',
  '## Sick leave',
  '',
  'Sick leave needs a note from a doctor after three days.',
  '',
].join('\n');

/** Records the stage line after each message of the answer's stream is swapped in. */
async function recordStages(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.__stages = [];
    document.addEventListener('htmx:sse:after:message', (event) => {
      const status = (event.target as Element).querySelector(':scope > header > [data-slot=status]');
      const text = status?.textContent ?? '';
      if (text !== '' && window.__stages!.at(-1) !== text) window.__stages!.push(text);
    });
  });
}

async function openPage(size: { width?: number; height?: number } = {}) {
  const opened = await suite.open(size);
  await recordStages(opened.page);
  await opened.page.goto(`${suite.app.origin}/ai-demo`);
  await waitForPageReady(opened.page);
  return opened;
}

/** The documents the server holds for anonymous callers. */
async function listed(): Promise<Array<{ id: string; name: string; size: number; chunks: number }>> {
  const response = await fetch(`${suite.app.origin}/api/documents`);
  return ((await response.json()) as { documents: Array<{ id: string; name: string; size: number; chunks: number }> }).documents;
}

async function deleteAll(): Promise<void> {
  for (const doc of await listed()) await fetch(`${suite.app.origin}/api/documents/${doc.id}`, { method: 'DELETE' });
}

const row = (page: Page, name: string) => page.locator('#documents .document', { hasText: name });

afterEach(deleteAll);

describe('documents on the page', () => {
  test('when a file is picked and a question asked with it, then the stages show, the sources list its passage and [1] opens the passage', async () => {
    const { page, watch } = await openPage();
    await expect(page.getByLabel('Use my documents').isChecked()).resolves.toBe(false);
    await page.getByLabel('Add files').setInputFiles({ name: 'handbook.md', mimeType: 'text/markdown', buffer: Buffer.from(HANDBOOK) });

    await row(page, 'handbook.md').and(page.locator('[data-state=ready]')).waitFor();
    const [doc] = await listed();
    await expect(row(page, 'handbook.md').locator('.document__meta').textContent()).resolves.toBe(
      `Markdown · ${doc!.chunks} passages · ${doc!.size} bytes`,
    );
    await expect(page.locator('#documents-empty').isVisible()).resolves.toBe(false);
    // Having just added a document, the reader means to ask about it.
    await expect(page.getByLabel('Use my documents').isChecked()).resolves.toBe(true);

    // The model takes a moment, as a real one does: the page is watching before the answer is over,
    // so it sees every stage as it happens rather than a finished answer's catch-up.
    suite.app.fake.enqueue({ headerDelay: 1500, steps: streamSteps(['Every employee has 25 days [1]', '; see [9] too.'], { gap: 30 }) });
    await ask(page, 'How many days of annual leave do I get?');
    await waitForFooter(page);

    const answer = page.locator('article.msg--assistant').last();
    const stages = await page.evaluate(() => window.__stages);
    expect(stages).toEqual([
      'Preparing search query…',
      'Searching 1 document…',
      'Selected 2 passages from 1 document',
      'Connecting to the model…',
      'Waiting for the model…',
      'Responding…',
    ]);

    const sources = answer.locator('[data-slot=sources] li.source');
    await expect(sources.locator('summary').allTextContents()).resolves.toEqual([
      '[1] handbook.md Leave > Annual leave',
      '[2] handbook.md Leave > Sick leave',
    ]);
    const source = sources.first();
    await expect(source.locator('.source__passage').isVisible()).resolves.toBe(false);
    // Only a listed source becomes a link; the [9] the model made up stays text.
    const links = answer.locator('[data-slot=committed] a.cite');
    await expect(links.allTextContents()).resolves.toEqual(['[1]']);
    await expect(answer.locator('[data-slot=committed]').textContent()).resolves.toBe('Every employee has 25 days [1]; see [9] too.\n');

    await links.first().click();
    await expect(source.locator('.source__passage').isVisible()).resolves.toBe(true);
    await page.waitForFunction(() => document.querySelector('.source__passage')?.hasAttribute('data-whole'));
    await expect(source.locator('.source__passage').textContent()).resolves.toBe(
      'Every employee has 25 days of annual leave a year. Unused days carry over until March.',
    );
    // The page's stylesheet reaches its last rules (an unclosed block once swallowed everything after it).
    await expect(answer.locator('.sources__title').evaluate((title) => getComputedStyle(title).textTransform)).resolves.toBe('uppercase');
    await expect(page.locator('#documents-panel').evaluate((panel) => getComputedStyle(panel).borderTopStyle)).resolves.toBe('solid');
    await page.screenshot({ path: artifactPath('ai-demo-1280-documents.png') });

    // The model was given the passage under its number.
    const sent = suite.app.fake.requests.at(-1)!.body as { messages: Array<{ role: string; content: string }> };
    const system = sent.messages.find((m) => m.role === 'system')!.content;
    expect(system).toContain('[1] handbook.md, Leave > Annual leave\nEvery employee has 25 days of annual leave a year.');
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
  });

  test('when a grounded answer is reloaded, then [1] still opens its passage, and after its document is deleted the stored snippet shows and says the document is gone', async () => {
    const { page, watch } = await openPage();
    await page.getByLabel('Add files').setInputFiles({ name: 'handbook.md', mimeType: 'text/markdown', buffer: Buffer.from(HANDBOOK) });
    await row(page, 'handbook.md').and(page.locator('[data-state=ready]')).waitFor();
    suite.app.fake.enqueue({ steps: streamSteps(['Every employee has 25 days [1].']) });
    await ask(page, 'How many days of annual leave do I get?');
    await waitForFooter(page);

    const answer = page.locator('article.msg--assistant').last();
    const source = answer.locator('[data-slot=sources] li.source').first();
    const passage = source.locator('.source__passage');
    for (const reload of ['with its document', 'after its document was deleted']) {
      if (reload !== 'with its document') await deleteAll();
      await page.reload();
      await waitForPageReady(page);
      await expect(answer.locator('[data-slot=sources] summary').allTextContents()).resolves.toEqual([
        '[1] handbook.md Leave > Annual leave',
        '[2] handbook.md Leave > Sick leave',
      ]);
      const link = answer.locator('[data-slot=committed] a.cite');
      await expect(link.allTextContents()).resolves.toEqual(['[1]']);
      await expect(passage.isVisible()).resolves.toBe(false);
      await link.first().click();
      await expect(passage.isVisible()).resolves.toBe(true);
      if (reload === 'with its document') {
        await page.waitForFunction(() => document.querySelector('.source__passage')?.hasAttribute('data-whole'));
        await expect(source.locator('.source__gone').count()).resolves.toBe(0);
      } else {
        await source.locator('.source__gone').waitFor();
        await expect(source.locator('.source__gone').textContent()).resolves.toBe(
          'This document has since been deleted: the passage is shown as it was quoted.',
        );
      }
      await expect(passage.textContent()).resolves.toBe(
        'Every employee has 25 days of annual leave a year. Unused days carry over until March.',
      );
    }
    expect(watch.pageErrors).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
  });

  test('when a grounded answer is regenerated, then the new answer is grounded on the same documents and its [1] opens its passage', async () => {
    const { page, watch } = await openPage();
    await page.getByLabel('Add files').setInputFiles({ name: 'handbook.md', mimeType: 'text/markdown', buffer: Buffer.from(HANDBOOK) });
    await row(page, 'handbook.md').and(page.locator('[data-state=ready]')).waitFor();
    suite.app.fake.enqueue({ steps: streamSteps(['Every employee has 25 days [1].']) });
    await ask(page, 'How many days of annual leave do I get?');
    await waitForFooter(page);
    // Turned off since: the new answer keeps the scope of the one it replaces, not the toggle's.
    await page.getByLabel('Use my documents').uncheck();

    suite.app.fake.enqueue({ steps: streamSteps(['Twenty-five days a year [1].']) });
    await page.locator('article.msg--assistant').last().getByRole('button', { name: 'Regenerate' }).click();
    await page.locator('article.msg--assistant', { hasText: 'Twenty-five days a year' }).locator('[data-slot=footer] .stats').waitFor();

    const answer = page.locator('article.msg--assistant').last();
    await expect(page.locator('article.msg--assistant').count()).resolves.toBe(1);
    await expect(answer.locator('[data-slot=sources] summary').allTextContents()).resolves.toEqual([
      '[1] handbook.md Leave > Annual leave',
      '[2] handbook.md Leave > Sick leave',
    ]);
    const link = answer.locator('[data-slot=committed] a.cite');
    await expect(link.allTextContents()).resolves.toEqual(['[1]']);
    await link.first().click();
    await expect(answer.locator('li.source').first().locator('.source__passage').isVisible()).resolves.toBe(true);
    const sent = suite.app.fake.requests.at(-1)!.body as { messages: Array<{ role: string; content: string }> };
    expect(sent.messages[0]!.content).toContain('[1] handbook.md, Leave > Annual leave');
    expect(watch.pageErrors).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
  });

  test('when a compare is asked with "Use my documents", then both columns list the same passages and each [1] opens its own', async () => {
    const { page, watch } = await openPage();
    await page.getByLabel('Add files').setInputFiles({ name: 'handbook.md', mimeType: 'text/markdown', buffer: Buffer.from(HANDBOOK) });
    await row(page, 'handbook.md').and(page.locator('[data-state=ready]')).waitFor();
    await expect(page.getByLabel('Use my documents').isChecked()).resolves.toBe(true);
    await page.getByLabel('Compare').check();
    suite.app.fake.enqueue({ steps: streamSteps(['25 days [1].']) }, { steps: streamSteps(['Twenty-five days [1].']) });
    await ask(page, 'How many days of annual leave do I get?');
    await page.getByRole('button', { name: 'Tie' }).waitFor();

    for (const side of ['A', 'B']) {
      const col = page.locator(`article.compare .compare__col[data-side=${side}]`);
      await expect(col.locator('[data-slot=sources] summary').allTextContents()).resolves.toEqual([
        '[1] handbook.md Leave > Annual leave',
        '[2] handbook.md Leave > Sick leave',
      ]);
      const link = col.locator('[data-slot=committed] a.cite');
      await expect(link.allTextContents()).resolves.toEqual(['[1]']);
      await link.click();
      const passage = col.locator('li.source').first().locator('.source__passage');
      await expect(passage.isVisible()).resolves.toBe(true);
      await expect(passage.textContent()).resolves.toBe('Every employee has 25 days of annual leave a year. Unused days carry over until March.');
    }
    const [a, b] = suite.app.fake.requests.filter((r) => r.url.endsWith('/chat/completions')).slice(-2);
    const system = (r: typeof a) => (r!.body as { messages: Array<{ content: string }> }).messages[0]!.content;
    expect(system(a)).toContain('[1] handbook.md, Leave > Annual leave');
    expect(system(b)).toBe(system(a));
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
  });

  test('when a PDF is dropped on the page, then it is indexed by page, a question about page 2 cites it, and Delete after its confirmation removes it', async () => {
    const { page, watch } = await openPage();
    const pdf = await makePdf([
      'Llamas are members of the camel family and live in the Andes.',
      'Llamas hum when they are content, and they spit when they are annoyed.',
    ]);
    await page.evaluate((base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const files = new DataTransfer();
      files.items.add(new File([bytes], 'llamas.pdf', { type: 'application/pdf' }));
      window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: files, bubbles: true, cancelable: true }));
      (window as unknown as { __dropped: DataTransfer }).__dropped = files;
    }, pdf.toString('base64'));
    await expect(page.locator('#drop-overlay').isVisible()).resolves.toBe(true);
    await page.evaluate(() => {
      const files = (window as unknown as { __dropped: DataTransfer }).__dropped;
      document.getElementById('messages')!.dispatchEvent(new DragEvent('drop', { dataTransfer: files, bubbles: true, cancelable: true }));
    });
    await expect(page.locator('#drop-overlay').isVisible()).resolves.toBe(false);
    await row(page, 'llamas.pdf').and(page.locator('[data-state=ready]')).waitFor();
    const [doc] = await listed();
    await expect(row(page, 'llamas.pdf').locator('.document__meta').textContent()).resolves.toBe(
      `PDF · 2 pages · ${doc!.chunks} passages · ${+(doc!.size / 1024).toFixed(1)} KB`,
    );

    suite.app.fake.enqueue({ headerDelay: 300, steps: streamSteps(['They hum [1].']) });
    await ask(page, 'When do llamas hum?');
    await waitForFooter(page);
    const answer = page.locator('article.msg--assistant').last();
    await expect(answer.locator('li.source').first().locator('summary').textContent()).resolves.toBe('[1] llamas.pdf page 2');
    await answer.locator('a.cite').click();
    await page.waitForFunction(() => document.querySelector('.source__passage')?.hasAttribute('data-whole'));
    await expect(answer.locator('li.source').first().locator('.source__passage').textContent()).resolves.toContain(
      'Llamas hum when they are content',
    );

    await row(page, 'llamas.pdf').getByRole('button', { name: 'Delete llamas.pdf' }).click();
    await row(page, 'llamas.pdf').getByRole('button', { name: 'Keep' }).click();
    await expect(listed().then((docs) => docs.length)).resolves.toBe(1);
    await row(page, 'llamas.pdf').getByRole('button', { name: 'Delete llamas.pdf' }).click();
    await row(page, 'llamas.pdf').getByRole('button', { name: 'Delete', exact: true }).click();
    await row(page, 'llamas.pdf').waitFor({ state: 'detached' });
    await expect(listed()).resolves.toEqual([]);
    await expect(page.locator('#documents-empty').isVisible()).resolves.toBe(true);
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
  });

  test('when a file is refused, then its row says why in the server\'s words and can be dismissed', async () => {
    const { page } = await openPage({ width: 375, height: 740 });
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    await page.screenshot({ path: artifactPath('ai-demo-375-documents.png') });
    await page.getByRole('button', { name: 'Conversations' }).click();
    await page.getByLabel('Add files').setInputFiles([
      { name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) },
      { name: 'photo.txt', mimeType: 'text/plain', buffer: png },
    ]);
    await row(page, 'photo.txt').and(page.locator('[data-state=failed]')).waitFor();
    const empty = await fetch(`${suite.app.origin}/api/documents`, { method: 'POST', body: formWith('empty.txt', '') });
    const { error: emptyError } = (await empty.json()) as { error: string };
    await expect(row(page, 'empty.txt').locator('.document__meta').textContent()).resolves.toBe(emptyError);
    await expect(row(page, 'photo.txt').locator('.document__meta').textContent()).resolves.toMatch(/\S/);
    await page.screenshot({ path: artifactPath('ai-demo-375-documents-errors.png') });
    await expect(listed()).resolves.toEqual([]);
    // Nothing was added, so the toggle stays as it was.
    await expect(page.getByLabel('Use my documents').isChecked()).resolves.toBe(false);

    await row(page, 'empty.txt').getByRole('button', { name: 'Dismiss the error about empty.txt' }).click();
    await expect(page.locator('#documents .document').count()).resolves.toBe(1);
  });

  test('when a document\'s name and text hold markup, then its row, its source and its passage show them as text and nothing runs', async () => {
    const { page, watch } = await openPage();
    // Chromium sends a name's quotes as %22, so the markup here has none.
    const name = '<img src=x onerror=window.__xss=1>.md';
    const text = '# <b onmouseover="window.__xss=2">Llamas</b>\n\nLlamas <script>window.__xss=3</script> hum at dusk.\n';
    await page.getByLabel('Add files').setInputFiles({ name, mimeType: 'text/markdown', buffer: Buffer.from(text) });
    await row(page, name).and(page.locator('[data-state=ready]')).waitFor();

    suite.app.fake.enqueue({ steps: streamSteps(['They hum [1].']) });
    await ask(page, 'When do llamas hum?');
    await waitForFooter(page);
    const answer = page.locator('article.msg--assistant').last();
    await expect(answer.locator('.source__name').textContent()).resolves.toBe(name);
    await answer.locator('a.cite').click();
    await page.waitForFunction(() => document.querySelector('.source__passage')?.hasAttribute('data-whole'));
    await expect(answer.locator('.source__passage').textContent()).resolves.toContain('hum at dusk');
    await answer.locator('.source').hover();
    await expect(page.evaluate(() => window.__xss)).resolves.toBeUndefined();
    await expect(page.locator('img[src=x]').count()).resolves.toBe(0);
    expect(watch.pageErrors).toEqual([]);
  });
});

/** A PDF with one page per text, written by pdfkit. */
function makePdf(pages: string[]): Promise<Buffer> {
  const pdf = new PDFDocument({ autoFirstPage: false });
  const parts: Buffer[] = [];
  pdf.on('data', (part: Buffer) => parts.push(part));
  const written = new Promise<Buffer>((resolve) => pdf.on('end', () => resolve(Buffer.concat(parts))));
  for (const text of pages) pdf.addPage().text(text);
  pdf.end();
  return written;
}

function formWith(name: string, content: string): FormData {
  const form = new FormData();
  form.append('file', new Blob([content], { type: 'text/plain' }), name);
  return form;
}

declare global {
  interface Window {
    __xss?: unknown;
  }
}

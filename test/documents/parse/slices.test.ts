import { chunkDocument, chunkDocumentInSlices } from '../../../src/documents/chunk-document';
import { paragraphs } from '../../../src/documents/parse/blocks';
import { extractDocument } from '../../../src/documents/parse/extract-document';
import { htmlBlocks } from '../../../src/documents/parse/html-blocks';
import { markdownBlocks } from '../../../src/documents/parse/markdown-blocks';
import { SLICE_CHARS, Slices } from '../../../src/documents/parse/slices';
import { loadConfig } from '../../../src/config/load-config';

/** DOCUMENT_MAX_BYTES as the server has it by default: the biggest file an upload may be. */
const MAX_BYTES = loadConfig({}).documents.maxBytes;

/** Sections of text in lines under 100 characters, paragraphs under 1,200: a real handbook's shape. */
function bigText(bytes: number, section: (n: number) => string, wrap: (body: string) => string = (b) => b): string {
  const parts: string[] = [];
  let size = 0;
  for (let n = 0; size < bytes - 2000; n++) {
    const part = section(n);
    parts.push(part);
    size += part.length;
  }
  return wrap(parts.join(''));
}
const line = (n: number) => `Employees in team ${n} may carry over five days of leave until March.`;
const para = (n: number) => [line(n), line(n + 1), line(n + 2), line(n + 3)].join('\n');

/** Extracts and splits `text` as an upload does, with one budget for both; returns the budget and the passages. */
async function sliced(name: string, text: string) {
  const slices = new Slices();
  const doc = await extractDocument(name, Buffer.from(text), slices);
  const chunks = await chunkDocumentInSlices(doc.pages, slices);
  return { slices, doc, chunks };
}

describe('a big document is parsed and split a slice at a time', () => {
  // Each step is one line, block or window (under 1,200 characters here) or 4 KiB of HTML fed to
  // its parser, so no stretch without a turn of the event loop exceeds a slice by more than
  // that: counted, not timed.
  const bound = SLICE_CHARS + 4096;

  test.each([
    ['handbook.md', (n: number) => `## Section ${n}\n\n${para(n)}\n\n${para(n + 7)}\n\n`, undefined],
    ['handbook.txt', (n: number) => `${para(n)}\n\n`, undefined],
    ['handbook.html', (n: number) => `<h2>Section ${n}</h2><p>${para(n)}</p><p>${para(n + 7)}</p>\n`, (b: string) => `<!doctype html><html><body>${b}</body></html>`],
  ])('when a DOCUMENT_MAX_BYTES %s is uploaded, then no stretch of its work runs longer than a slice without a turn', async (name, section, wrap) => {
    const text = bigText(MAX_BYTES, section, wrap);
    expect(Buffer.byteLength(text)).toBeGreaterThan(MAX_BYTES - 4000);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_BYTES);

    const { slices, chunks } = await sliced(name, text);

    expect(slices.largest).toBeGreaterThanOrEqual(SLICE_CHARS);
    expect(slices.largest).toBeLessThanOrEqual(bound);
    // Decoding, parsing and splitting each go through the whole text: three slices' worth of turns per slice of it, about.
    expect(slices.turns).toBeGreaterThan((2 * text.length) / SLICE_CHARS);
    expect(chunks.length).toBeGreaterThan(text.length / 1000);
  }, 30_000);

  test('when a file is cut into pieces at a CRLF, a multi-byte character and inside a code fence, then the blocks and passages are those of the whole text at once', async () => {
    // A CR ends the first 64 KiB piece, its LF starts the next; "é" straddles the second boundary.
    const head = `\uFEFF# Title\r\n\r\n${'x'.repeat(65536 - 15)}`;
    expect(Buffer.byteLength(head)).toBe(65536 - 1);
    const fenced = `${head}\r\n\r\n\`\`\`\n# not a heading\n\`\`\`\n\n`;
    const beforeE = `${fenced}${'y'.repeat(2 * 65536 - 1 - Buffer.byteLength(fenced))}`;
    expect(Buffer.byteLength(beforeE)).toBe(2 * 65536 - 1);
    const text = `${beforeE}é tail\rold mac line\n\nSetext\n===\n\nend.`;
    const whole = text.slice(1).replace(/\r\n?/g, '\n');

    const md = await sliced('doc.md', text);
    const txt = await sliced('doc.txt', text);
    const html = await sliced('doc.html', `<p>${text}</p>`);

    expect(md.doc.pages).toEqual([markdownBlocks(whole)]);
    expect(md.chunks).toEqual(chunkDocument([markdownBlocks(whole)]));
    expect(md.doc.pages[0]!.map((b) => b.kind)).toEqual(['heading', 'paragraph', 'paragraph', 'paragraph', 'heading', 'paragraph']);
    expect(txt.doc.pages).toEqual([paragraphs(whole)]);
    expect(html.doc.pages).toEqual([await htmlBlocks(`<p>${whole}</p>`)]);
  });
});

import { extractDocument } from '../../../src/documents/parse/extract-document';
import { DocumentError } from '../../../src/errors';
import { makePdf } from '../make-pdf';

async function refusal(name: string, bytes: Buffer): Promise<{ status: number; code: string; message: string; details: unknown }> {
  try {
    await extractDocument(name, bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(DocumentError);
    const e = error as DocumentError;
    return { status: e.status, code: e.code, message: e.message, details: e.details };
  }
  throw new Error('the file was accepted');
}

describe('extractDocument', () => {
  test('when a three-page PDF is read, then each page keeps its own text, in order', async () => {
    const pdf = await makePdf([
      ['Apples grow on trees in orchards.'],
      ['Bananas grow in tropical plantations.', 'They are picked green.'],
      ['Cherries ripen in early summer.'],
    ]);

    const doc = await extractDocument('fruit.pdf', pdf);

    expect(doc.type).toBe('pdf');
    expect(doc.pages).toEqual([
      [{ kind: 'paragraph', text: 'Apples grow on trees in orchards.' }],
      [{ kind: 'paragraph', text: 'Bananas grow in tropical plantations.\nThey are picked green.' }],
      [{ kind: 'paragraph', text: 'Cherries ripen in early summer.' }],
    ]);
    expect(doc.characters).toBe(33 + 60 + 31);
    // The first PDF starts a worker thread that loads pdfjs-dist: seconds on a loaded machine.
  }, 60_000);

  test('when a PDF is encrypted, then it is refused as encrypted_pdf (422): no extractable text', async () => {
    const pdf = await makePdf([['Secret plans.']], { userPassword: 'hunter2' });

    expect(await refusal('secret.pdf', pdf)).toEqual({
      status: 422,
      code: 'encrypted_pdf',
      message: 'secret.pdf is encrypted (password-protected). Upload a copy saved without a password: no extractable text.',
      details: { file: 'secret.pdf' },
    });
  });

  test('when a PDF is corrupt (its body cut off), then it is refused as corrupt_pdf (422)', async () => {
    const pdf = await makePdf([['Some text that will not survive.']]);

    const refused = await refusal('broken.pdf', pdf.subarray(0, 40));

    expect(refused.status).toBe(422);
    expect(refused.code).toBe('corrupt_pdf');
    expect(refused.message).toMatch(/^broken\.pdf could not be read as a PDF \(.+\)\. It is corrupt or cut short: no extractable text\.$/);
  });

  test('when a PDF has only drawings (no text layer, like a scan), then it is refused as no_extractable_text (422)', async () => {
    const pdf = await makePdf([null, null]);

    expect(await refusal('scan.pdf', pdf)).toEqual({
      status: 422,
      code: 'no_extractable_text',
      message: 'scan.pdf has no text layer (scanned pages or images only). Upload a PDF with selectable text: no extractable text.',
      details: { file: 'scan.pdf' },
    });
  });

  test('when HTML is read, then headings and paragraphs stay, and markup, scripts, styles and the head go', async () => {
    const html = `<!DOCTYPE html><html><head><title>Ignored</title><style>p{color:red}</style></head>
      <body><nav><a href="/">Home</a></nav><h1>Travel &amp; Leave</h1><p>Book trips   through
      the <b>portal</b>.</p><script>alert("x")</script><h2>Per diem</h2><ul><li>Meals: 40 €</li><li>Hotel: 120 €</li></ul>
      <pre>code
  kept</pre></body></html>`;

    const doc = await extractDocument('policy.html', Buffer.from(html));

    expect(doc.pages).toEqual([
      [
        { kind: 'paragraph', text: 'Home' },
        { kind: 'heading', level: 1, text: 'Travel & Leave' },
        { kind: 'paragraph', text: 'Book trips through the portal.' },
        { kind: 'heading', level: 2, text: 'Per diem' },
        { kind: 'paragraph', text: 'Meals: 40 €' },
        { kind: 'paragraph', text: 'Hotel: 120 €' },
        { kind: 'paragraph', text: 'code\n  kept' },
      ],
    ]);
  });

  test('when markdown is read, then ATX and setext headings split it, and a # inside a code fence is no heading', async () => {
    const md = '# Guide\n\nIntro text.\n\nSetup\n-----\n\nRun it:\n\n```sh\n# not a heading\nnpm start\n```\n\n### Deep\nLast words.\n';

    const doc = await extractDocument('guide.md', Buffer.from(md));

    expect(doc.type).toBe('md');
    expect(doc.pages).toEqual([
      [
        { kind: 'heading', level: 1, text: 'Guide' },
        { kind: 'paragraph', text: 'Intro text.' },
        { kind: 'heading', level: 2, text: 'Setup' },
        { kind: 'paragraph', text: 'Run it:' },
        { kind: 'paragraph', text: '```sh\n# not a heading\nnpm start\n```' },
        { kind: 'heading', level: 3, text: 'Deep' },
        { kind: 'paragraph', text: 'Last words.' },
      ],
    ]);
  });

  test('when plain text is read, then it is split at blank lines, with a UTF-8 BOM and CRLFs dropped', async () => {
    const doc = await extractDocument('notes.txt', Buffer.from('\uFEFFFirst line\r\nstill first\r\n\r\nSecond'));

    expect(doc).toEqual({
      type: 'txt',
      pages: [[{ kind: 'paragraph', text: 'First line\nstill first' }, { kind: 'paragraph', text: 'Second' }]],
      characters: 28,
    });
  });

  test.each([
    ['a PDF named .txt', 'report.txt', async () => makePdf([['Hi']]), 415, 'mislabelled_document', { file: 'report.txt', detected: 'pdf' }],
    ['text named .pdf', 'notes.pdf', async () => Buffer.from('just text'), 415, 'mislabelled_document', { file: 'notes.pdf', detected: 'txt' }],
    ['an HTML page named .md', 'page.md', async () => Buffer.from('<!doctype html><p>x</p>'), 415, 'mislabelled_document', { file: 'page.md', detected: 'html' }],
    ['a PNG named .pdf', 'photo.pdf', async () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 415, 'unsupported_document_type', { file: 'photo.pdf' }],
    ['a .docx', 'letter.docx', async () => Buffer.from('PK\x03\x04'), 415, 'unsupported_document_type', { file: 'letter.docx' }],
    ['an empty file', 'empty.txt', async () => Buffer.alloc(0), 400, 'empty_document', { file: 'empty.txt' }],
    ['a file of white space', 'blank.md', async () => Buffer.from(' \n\n\t\n'), 400, 'empty_document', { file: 'blank.md' }],
    ['HTML without text', 'blank.html', async () => Buffer.from('<html><body><img src="a.png"></body></html>'), 422, 'no_extractable_text', { file: 'blank.html' }],
  ])('when the file is %s, then it is refused with its own status and code', async (_what, name, bytes, status, code, details) => {
    const refused = await refusal(name, await bytes());

    expect({ status: refused.status, code: refused.code, details: refused.details }).toEqual({ status, code, details });
  });
});

import request from 'supertest';
import { withTestUsers } from '../helpers/as-user';
import { framesOf } from '../helpers/sse';
import { buildTestApp, closeTestApp, type TestApp } from '../helpers/test-app';
import { makePdf } from '../documents/make-pdf';

const NOTES = '# Notes\n\nThe launch is on Tuesday.\n';
const FIXED = () => new Date('2026-12-07T18:00:00.000Z');

let t: TestApp;
afterEach(() => closeTestApp(t));

function app(env: Record<string, string> = {}) {
  t = buildTestApp(env, { now: FIXED });
  return withTestUsers(t.app);
}

describe('the document routes', () => {
  test('when a markdown file and a two-page PDF are uploaded, then both are listed and one is shown with its passages', async () => {
    const a = app();
    const pdf = await makePdf([['Page one talks of launch dates.'], ['Page two lists the budget.']]);

    const up = await request(a).post('/api/documents').attach('file', Buffer.from(NOTES), 'notes.md').attach('file', pdf, 'plan.pdf');

    expect(up.status).toBe(201);
    expect(up.body).toEqual({
      documents: [
        { id: 'id-1', name: 'notes.md', type: 'md', size: NOTES.length, pages: 1, chunks: 1, characters: 30, created_at: '2026-12-07T18:00:00.000Z' },
        { id: 'id-2', name: 'plan.pdf', type: 'pdf', size: pdf.length, pages: 2, chunks: 2, characters: 57, created_at: '2026-12-07T18:00:00.000Z' },
      ],
    });
    const list = await request(a).get('/api/documents');
    expect(list.body.documents.map((d: { id: string }) => d.id)).toEqual(['id-2', 'id-1']);
    expect(list.body.limits).toEqual({
      max_bytes: 20971520,
      max_documents: 100,
      max_files_per_upload: 5,
      types: ['.txt', '.md', '.markdown', '.html', '.htm', '.pdf'],
    });
    const one = await request(a).get('/api/documents/id-2');
    expect(one.body).toEqual({
      document: up.body.documents[1],
      chunks: [
        { index: 0, page: 1, heading: '', heading_path: [], text: 'Page one talks of launch dates.' },
        { index: 1, page: 2, heading: '', heading_path: [], text: 'Page two lists the budget.' },
      ],
    });
    // The first PDF starts a worker thread that loads pdfjs-dist: seconds on a loaded machine.
  }, 60_000);

  test('when a document is deleted, then it is gone from the list, its page is 404, and a search no longer finds it', async () => {
    const a = app();
    await request(a).post('/api/documents').attach('file', Buffer.from(NOTES), 'notes.md');

    const deleted = await request(a).delete('/api/documents/id-1');

    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ success: true, message: 'Document deleted' });
    expect((await request(a).get('/api/documents')).body.documents).toEqual([]);
    const gone = await request(a).get('/api/documents/id-1');
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ error: 'There is no document with id "id-1". GET /api/documents lists yours.', code: 'document_not_found' });
    expect((await request(a).delete('/api/documents/id-1')).status).toBe(404);
    expect(await t.documentStore.searchText(null, 'all', ['launch'], 5)).toEqual([]);
    const answer = framesOf((await request(a).post('/api/chat/stream').send({ message: 'When is the launch?', documents: 'all' })).text);
    expect(answer[1]!.data.message).toBe('Searching 0 documents…');
  });

  test("when users have documents, then each sees, reads and deletes only their own; another's id is not found", async () => {
    const a = app();
    await request(a).post('/api/documents').set('X-Test-User', 'alice').attach('file', Buffer.from(NOTES), 'notes.md');

    expect((await request(a).get('/api/documents').set('X-Test-User', 'bob')).body.documents).toEqual([]);
    expect((await request(a).get('/api/documents')).body.documents).toEqual([]);
    expect((await request(a).get('/api/documents/id-1').set('X-Test-User', 'bob')).status).toBe(404);
    expect((await request(a).delete('/api/documents/id-1').set('X-Test-User', 'bob')).status).toBe(404);
    expect((await request(a).get('/api/documents/id-1').set('X-Test-User', 'alice')).status).toBe(200);
  });

  test('when a file is larger than DOCUMENT_MAX_BYTES, then 413 document_too_large names it and nothing is kept', async () => {
    const a = app({ DOCUMENT_MAX_BYTES: '100' });

    const res = await request(a)
      .post('/api/documents')
      .attach('file', Buffer.from('small enough'), 'ok.txt')
      .attach('file', Buffer.from('x'.repeat(101)), 'big.txt');

    expect(res.status).toBe(413);
    expect(res.body).toEqual({
      error: 'big.txt is larger than the 100 bytes a document may have. Upload a smaller file.',
      code: 'document_too_large',
      file: 'big.txt',
      limit_bytes: 100,
    });
    expect((await request(a).get('/api/documents')).body.documents).toEqual([]);
  });

  test('when one file of an upload is refused, then none of its files is kept', async () => {
    const a = app();

    const res = await request(a).post('/api/documents').attach('file', Buffer.from(NOTES), 'notes.md').attach('file', Buffer.alloc(0), 'empty.txt');

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'empty.txt is empty. Upload a file with text in it.', code: 'empty_document', file: 'empty.txt' });
    expect((await request(a).get('/api/documents')).body.documents).toEqual([]);
  });

  test('when a user reaches DOCUMENT_MAX_PER_USER, then the next upload is 409 document_limit_reached; another user may still upload', async () => {
    const a = app({ DOCUMENT_MAX_PER_USER: '2' });
    await request(a).post('/api/documents').attach('file', Buffer.from('one'), 'a.txt').attach('file', Buffer.from('two'), 'b.txt');

    const res = await request(a).post('/api/documents').attach('file', Buffer.from('three'), 'c.txt');

    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      error: 'You have 2 documents and may keep 2. Delete some with DELETE /api/documents/:id, then upload again.',
      code: 'document_limit_reached',
      limit: 2,
    });
    expect((await request(a).post('/api/documents').set('X-Test-User', 'bob').attach('file', Buffer.from('three'), 'c.txt')).status).toBe(201);
  });

  test('when more files than DOCUMENT_MAX_FILES_PER_UPLOAD are sent, then 413 too_many_files', async () => {
    const a = app({ DOCUMENT_MAX_FILES_PER_UPLOAD: '2' });

    const res = await request(a)
      .post('/api/documents')
      .attach('file', Buffer.from('1'), '1.txt')
      .attach('file', Buffer.from('2'), '2.txt')
      .attach('file', Buffer.from('3'), '3.txt');

    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: 'Send at most 2 files in one upload.', code: 'too_many_files' });
  });

  test.each([
    ['JSON instead of a form', (r: request.Test) => r.send({ file: 'x' }), 415, { error: 'Send the files as multipart/form-data, one part per file (e.g. curl -F file=@notes.pdf).', code: 'unsupported_media_type' }],
    ['a form without files', (r: request.Test) => r.field('name', 'x'), 400, { error: 'The form holds no file. Add one or more file parts (.txt, .md, .html, .pdf).', code: 'no_files' }],
    [
      'a form cut short',
      (r: request.Test) => r.set('Content-Type', 'multipart/form-data; boundary=XYZ').send('--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhalf'),
      400,
      { error: 'The multipart body is malformed or cut short.', code: 'invalid_multipart' },
    ],
    ['a PDF named .txt', (r: request.Test) => r.attach('file', Buffer.from('%PDF-1.7\n'), 'a.txt'), 415, { error: 'a.txt is named .txt but holds a PDF. Rename it to match what it is, or upload the right file.', code: 'mislabelled_document', file: 'a.txt', detected: 'pdf' }],
  ])('when the upload is %s, then it is refused with a clear JSON error', async (_what, send, status, body) => {
    const a = app();

    const res = await send(request(a).post('/api/documents'));

    expect(res.status).toBe(status);
    expect(res.body).toEqual(body);
  });

  test.each([
    ['GET', '/api/documents/bad%20id'],
    ['DELETE', '/api/documents/bad%20id'],
  ])('when %s has a malformed id, then 400 invalid_document_id', async (method, path) => {
    const a = app();
    const res = await (method === 'GET' ? request(a).get(path) : request(a).delete(path));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'A document id is 1 to 128 letters, digits, "-" or "_".', code: 'invalid_document_id' });
  });
});

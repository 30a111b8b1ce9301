import BetterSqlite3 from 'better-sqlite3';
import type { NewDocument } from '../../../src/stores/document-store';
import { SqliteDocumentStore } from '../../../src/stores/sqlite/sqlite-document-store';
import { freshDatabasePath } from '../../helpers/test-app';

function doc(id: string, owner: string | null, texts: string[], vectors?: number[][]): NewDocument {
  return {
    record: { id, owner, name: `${id}.md`, type: 'md', size: 10, pages: 1, chunks: texts.length, characters: 10, createdAt: '2026-12-07T18:00:00.000Z' },
    chunks: texts.map((text, index) => ({ index, page: 1, headingPath: ['H'], text })),
    vectors: vectors?.map((v) => Float32Array.from(v)),
  };
}

const open: SqliteDocumentStore[] = [];
function store(path: string): SqliteDocumentStore {
  const s = new SqliteDocumentStore(path);
  open.push(s);
  return s;
}
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

describe('SqliteDocumentStore', () => {
  test('when documents would pass the owner\'s limit, then none is kept and the count is said', async () => {
    const s = store(':memory:');
    await s.addAll('u', [doc('a', 'u', ['one'])], 2);

    expect(await s.addAll('u', [doc('b', 'u', ['two']), doc('c', 'u', ['three'])], 2)).toEqual({ limit: 2, count: 1 });
    expect((await s.list('u')).map((d) => d.id)).toEqual(['a']);
    expect(await s.addAll('v', [doc('b', 'v', ['two']), doc('c', 'v', ['three'])], 2)).toBeUndefined();
  });

  test('when another connection to the file adds or deletes documents, then the vectors read here follow, cache or not', async () => {
    const path = freshDatabasePath();
    const reader = store(path);
    const writer = store(path);
    await writer.addAll(null, [doc('a', null, ['one', 'two'], [[1, 0], [0, 1]])], 10);
    expect((await reader.vectors(null, 'all')).map((v) => [v.documentId, Array.from(v.vector)])).toEqual([
      ['a', [1, 0]],
      ['a', [0, 1]],
    ]);

    await writer.addAll(null, [doc('b', null, ['three'], [[1, 1]])], 10);
    expect((await reader.vectors(null, 'all')).map((v) => v.documentId)).toEqual(['a', 'a', 'b']);
    expect((await reader.vectors(null, ['b'])).map((v) => Array.from(v.vector))).toEqual([[1, 1]]);

    await writer.delete('a', null);
    expect((await reader.vectors(null, 'all')).map((v) => v.documentId)).toEqual(['b']);
    expect(await reader.searchText(null, 'all', ['one'], 5)).toEqual([]);
  });

  test('when a process died while writing a document, then on opening the half-written document is removed whole', async () => {
    const path = freshDatabasePath();
    await store(path).addAll(null, [doc('kept', null, ['kept text'])], 10);
    const raw = new BetterSqlite3(path);
    raw.prepare(
      "INSERT INTO documents (id, owner, name, type, size, pages, chunks, characters, ready, created_at) VALUES ('half', NULL, 'half.md', 'md', 1, 1, 1, 1, 0, 'x')",
    ).run();
    raw.prepare("INSERT INTO document_chunks (document_id, idx, page, heading, heading_path, text) VALUES ('half', 0, 1, '', '[]', 'half text')").run();
    raw.close();

    const reopened = store(path);

    expect((await reopened.list(null)).map((d) => d.id)).toEqual(['kept']);
    expect(await reopened.searchText(null, 'all', ['half'], 5)).toEqual([]);
    expect((await reopened.searchText(null, 'all', ['kept'], 5)).map((h) => h.documentId)).toEqual(['kept']);
  });
});

import BetterSqlite3 from 'better-sqlite3';
import { SqliteDocumentStore } from '../../../src/stores/sqlite/sqlite-document-store';
import { freshDatabasePath } from '../../helpers/test-app';
import { describeDocumentStore, doc } from '../document-store-suite';

const open: SqliteDocumentStore[] = [];
function store(path: string): SqliteDocumentStore {
  const s = new SqliteDocumentStore(path);
  open.push(s);
  return s;
}
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

describeDocumentStore('SQLite file', () => {
  // Each open is another connection to the file, as another cluster worker's.
  const path = freshDatabasePath();
  return { open: async () => new SqliteDocumentStore(path), cleanup: async () => undefined };
});

describe('SqliteDocumentStore', () => {
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

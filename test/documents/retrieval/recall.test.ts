import { DocumentService } from '../../../src/documents/document-service';
import { EmbeddingsClient } from '../../../src/documents/retrieval/embeddings-client';
import { searchQuery } from '../../../src/documents/retrieval/search-query';
import type { DocumentStore } from '../../../src/stores/document-store';
import { PostgresDocumentStore } from '../../../src/stores/postgres/postgres-document-store';
import { SqliteDocumentStore } from '../../../src/stores/sqlite/sqlite-document-store';
import { FakeOpenRouter } from '../../fakes/fake-openrouter';
import { usePostgres } from '../../helpers/postgres-server';
import { openDatabase } from '../../stores/postgres/postgres-stores';
import { CORPUS, QUESTIONS, fakeEmbedding } from './corpus';

const pg = usePostgres();

let fake: FakeOpenRouter;
let store: DocumentStore;
afterEach(async () => {
  await store.close();
  await fake.close();
});

async function indexCorpus(embeddings?: EmbeddingsClient): Promise<DocumentService> {
  const service = new DocumentService({ store, maxPerUser: 100, topK: 5, maxPromptTokens: 2000, embeddings });
  await service.upload(null, Object.entries(CORPUS).map(([name, text]) => ({ name, bytes: Buffer.from(text) })));
  return service;
}

/** For each question, whether its passage is among the top 5. */
async function foundInTop5(service: DocumentService): Promise<boolean[]> {
  const found: boolean[] = [];
  for (const { question, answer } of QUESTIONS) {
    const hits = (await service.search(null, 'all', searchQuery(question, undefined))).slice(0, 5);
    found.push(hits.some((h) => h.documentName === answer[0] && h.headingPath.join(' > ') === answer[1]));
  }
  return found;
}

const recall = (found: boolean[]) => found.filter(Boolean).length / found.length;

// The same questions and the same figures on either engine: BM25 on SQLite, ts_rank on PostgreSQL.
describe.each([
  ['SQLite', async (): Promise<DocumentStore> => new SqliteDocumentStore(':memory:')],
  ['PostgreSQL', async (): Promise<DocumentStore> => new PostgresDocumentStore(openDatabase(await pg().freshUrl()))],
])('retrieval recall@5 on a corpus of 12 documents (36 passages), 10 questions, %s', (_engine, open) => {
  beforeEach(async () => {
    fake = await new FakeOpenRouter().listen();
    fake.embedWith(fakeEmbedding);
    store = await open();
  });

  test('when BM25 ranks alone, then every keyword question finds its passage and no paraphrase does: recall@5 = 0.6', async () => {
    const service = await indexCorpus();

    const found = await foundInTop5(service);

    expect(found).toEqual(QUESTIONS.map((q) => q.kind === 'keyword'));
    expect(recall(found)).toBe(0.6);
  });

  test('when embeddings are on, then BM25 and cosine fused by reciprocal rank find every passage: recall@5 = 1', async () => {
    const embeddings = new EmbeddingsClient({ baseUrl: fake.baseUrl, apiKey: 'sk-or-test', model: 'fake/embed' });
    const service = await indexCorpus(embeddings);

    const found = await foundInTop5(service);

    expect(found).toEqual(QUESTIONS.map(() => true));
    expect(recall(found)).toBe(1);
    // 12 uploads embed their passages (one request each), then one request per question.
    const calls = fake.requests.filter((r) => r.url === '/api/v1/embeddings');
    expect(calls).toHaveLength(12 + QUESTIONS.length);
    expect(calls[0]!.body).toEqual({
      model: 'fake/embed',
      input: [
        'Leave\nAnnual leave\nEvery employee has 25 days of annual leave a year, booked in the HR portal.',
        'Leave\nSick leave\nAfter three days off ill, bring a doctor note.',
        'Leave\nParental leave\nNew parents get sixteen weeks at full salary.',
      ],
    });
    expect(calls[0]!.headers.authorization).toBe('Bearer sk-or-test');
  });

  test('when the embeddings endpoint fails at question time, then BM25 alone still answers', async () => {
    const embeddings = new EmbeddingsClient({ baseUrl: fake.baseUrl, apiKey: '', model: 'fake/embed' });
    const service = await indexCorpus(embeddings);
    fake.embeddingsStatus = 503;

    const found = await foundInTop5(service);

    expect(found).toEqual(QUESTIONS.map((q) => q.kind === 'keyword'));
  });

  test('when a question matches nothing, then no passage is returned, with or without embeddings', async () => {
    const plain = await indexCorpus();
    expect(await plain.search(null, 'all', searchQuery('Quantum chromodynamics?', undefined))).toEqual([]);
    await store.close();
    store = await open();
    const embedded = await indexCorpus(new EmbeddingsClient({ baseUrl: fake.baseUrl, apiKey: '', model: 'fake/embed' }));
    expect(await embedded.search(null, 'all', searchQuery('Quantum chromodynamics?', undefined))).toEqual([]);
  });
});

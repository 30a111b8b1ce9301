import { html, type SafeHtml } from './html';

/** One passage an answer was grounded on, as `event: sources` carries it (docs/protocol.md). */
export interface SourceView {
  n: number;
  document_id: string;
  name: string;
  page?: number | null | undefined;
  heading?: string | null | undefined;
  /** The passage's index in its document (`GET /api/documents/:id`'s chunks), whose whole text the page shows on demand. */
  chunk?: number | undefined;
  snippet: string;
}

/** The id of source `n` of answer `answerId`: what its `[n]` citations point at. */
export function sourceAnchor(answerId: string, n: number): string {
  return `source-${answerId}-${n}`;
}

/**
 * "page 3 · Setup > Keys": where in its document a passage is, or nothing when unknown. Only a
 * PDF has pages (the others are one page 1), and a PDF is always named `.pdf`: the server
 * refuses one named otherwise.
 */
export function sourcePlace(source: Pick<SourceView, 'name' | 'page' | 'heading'>): string {
  const parts: string[] = [];
  if (typeof source.page === 'number' && /\.pdf$/i.test(source.name)) parts.push(`page ${source.page}`);
  if (typeof source.heading === 'string' && source.heading !== '') parts.push(source.heading);
  return parts.join(' · ');
}

/**
 * The numbered passages under an answer. Each is a closed disclosure that `public/citations.js`
 * opens when one of the answer's `[n]` links is followed; the document's name, heading and text
 * are the uploader's and are escaped like any other text. No sources render nothing, so an
 * answer without them never shows an empty list.
 */
export function sourcesFragment(answerId: string, sources: readonly SourceView[]): SafeHtml {
  if (sources.length === 0) return html``;
  const items = sources.map((source) => {
    const place = sourcePlace(source);
    return html`<li class="source" id="${sourceAnchor(answerId, source.n)}" data-n="${source.n}" data-document-id="${source.document_id}"${source.chunk !== undefined && html` data-chunk="${source.chunk}"`}><details class="source__details"><summary><span class="source__n">[${source.n}]</span> <span class="source__name">${source.name}</span>${place !== '' && html` <span class="source__place">${place}</span>`}</summary><blockquote class="source__passage">${source.snippet}</blockquote></details></li>`;
  });
  return html`<section class="sources" aria-label="Sources"><h2 class="sources__title">Sources</h2><ol class="sources__list">${items}</ol></section>`;
}

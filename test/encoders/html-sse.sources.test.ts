import type { ChatEvent } from '../../src/chat/events';
import { encodeHtmlSse } from '../../src/encoders/html-sse';
import { encodeSocketEvent } from '../../src/encoders/socket-io';

const SOURCES: ChatEvent = {
  id: 6,
  type: 'sources',
  data: {
    sources: [
      { n: 1, document_id: 'd1', name: '<b>x</b>.md', page: 1, heading: 'A > B', chunk: 0, snippet: 'Text </script> here', score: 1.5 },
    ],
  },
};

describe('the sources event in the other encodings', () => {
  test('when the page stream sends sources, then one unnamed frame swaps them, escaped, into the sources slot, its id kept', () => {
    expect(encodeHtmlSse(SOURCES, 's1')).toBe(
      'id: 6\ndata: <hx-partial hx-target="find :scope &gt; [data-slot=sources]" hx-swap="innerHTML"><section class="sources" aria-label="Sources">' +
        '<h2 class="sources__title">Sources</h2><ol class="sources__list"><li class="source" id="source-s1-1" data-n="1" data-document-id="d1" data-chunk="0">' +
        '<details class="source__details"><summary><span class="source__n">[1]</span> <span class="source__name">&lt;b&gt;x&lt;/b&gt;.md</span> ' +
        '<span class="source__place">A &gt; B</span></summary><blockquote class="source__passage">Text &lt;/script&gt; here</blockquote></details></li></ol></section></hx-partial>\n\n',
    );
  });

  test('when Socket.IO sends sources, then it is chat_sources with the same data', () => {
    expect(encodeSocketEvent(SOURCES)).toEqual({ name: 'chat_sources', payload: SOURCES.data });
  });
});

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
  test('when the page stream sends sources, then it is a named frame of JSON (nothing swapped), its id kept', () => {
    expect(encodeHtmlSse(SOURCES, 's1')).toBe(
      'event: sources\nid: 6\ndata: {"sources":[{"n":1,"document_id":"d1","name":"<b>x</b>.md","page":1,"heading":"A > B","chunk":0,"snippet":"Text </script> here","score":1.5}]}\n\n',
    );
  });

  test('when Socket.IO sends sources, then it is chat_sources with the same data', () => {
    expect(encodeSocketEvent(SOURCES)).toEqual({ name: 'chat_sources', payload: SOURCES.data });
  });
});

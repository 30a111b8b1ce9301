import * as markdown from '../../src/markdown';

describe('src/markdown index', () => {
  it('when imported, then it exports the renderer API and nothing unexpected', () => {
    expect(Object.keys(markdown).sort()).toEqual([
      'FinalRenderPool',
      'createHighlightedMarkdownStream',
      'createMarkdownStream',
      'createUtf8DeltaDecoder',
      'highlightCodeBlocks',
      'normaliseMarkdownText',
      'renderMarkdown',
      'withFinalRenderWorker',
      'withHighlightedEnd',
    ]);
  });

  it('when a stream is created, then it has the contract methods and a read-only text', () => {
    const stream = markdown.createMarkdownStream();
    expect(typeof stream.push).toBe('function');
    expect(typeof stream.tail).toBe('function');
    expect(typeof stream.end).toBe('function');
    expect(stream.text).toBe('');
    expect(() => {
      (stream as { text: string }).text = 'x';
    }).toThrow();
  });
});

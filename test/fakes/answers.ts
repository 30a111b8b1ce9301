/** Canned model answers for the page's browser tests, and a way to cut them into deltas. */

/** Cuts text into deltas of at most `size` characters, as a model streams them. */
export function splitTokens(text: string, size = 5): string[] {
  const tokens: string[] = [];
  for (let i = 0; i < text.length; i += size) tokens.push(text.slice(i, i + size));
  return tokens;
}

/** Bold, a list, a fenced code block and a table: what the page must render. */
export const MARKDOWN_ANSWER = [
  'Python is a **high-level** language.',
  '',
  '- readable syntax',
  '- batteries included',
  '',
  '```python',
  'def greet(name):',
  '    return f"Hello, {name}!"',
  '```',
  '',
  '| Language | Typing | Released |',
  '| --- | --- | --- |',
  '| Python | dynamic | 1991 |',
  '| Rust | static | 2015 |',
  '',
  'That is all.',
].join('\n');

/** Plain words in one paragraph, so the rendered text is the answer itself. */
export function wordsAnswer(count: number): string {
  return Array.from({ length: count }, (_, i) => `word${i + 1}`).join(' ');
}

/**
 * Payloads of our own, aimed at what this page adds to the renderer's output: htmx and
 * Alpine attributes, `<hx-partial>`, and requests to other hosts. Each sets `window.__xss`
 * (or opens a dialog) if it ever runs.
 */
export const PAGE_XSS_PAYLOADS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=2</script>',
  '[click me](javascript:window.__xss=3)',
  '<svg onload="window.__xss=4"><circle r="1"/></svg>',
  '<iframe src="javascript:window.__xss=5"></iframe>',
  '<iframe srcdoc="<script>parent.__xss=6</script>"></iframe>',
  '<a href="javascript:window.__xss=7">link</a>',
  '<details open ontoggle="window.__xss=8">d</details>',
  '<div hx-get="/ai-demo" hx-trigger="load" hx-target="body">htmx</div>',
  '<div hx-on:htmx:load="window.__xss=9" data-hx-on:click="window.__xss=9">hx-on</div>',
  '<div x-data x-init="window.__xss=10">alpine</div>',
  '<hx-partial hx-target="#messages" hx-swap="innerHTML">partial</hx-partial>',
  '<div hx-swap-oob="innerHTML:#composer">oob</div>',
  '<img src="http://evil.example/leak.png">',
  '![tracker](https://evil.example/pixel.png)',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=11">',
  '<object data="javascript:window.__xss=12"></object>',
  '<embed src="javascript:window.__xss=13">',
  '<form action="javascript:window.__xss=14"><button>go</button></form>',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=15">',
  '<base href="http://evil.example/">',
  '<style>@import "http://evil.example/x.css";</style>',
  '<a href="&#106;avascript:window.__xss=16">entity link</a>',
  '`<img src=x onerror=window.__xss=17>` is code, not markup',
];

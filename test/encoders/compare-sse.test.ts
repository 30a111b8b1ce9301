import type { ChatEvent } from '../../src/chat/events';
import { encodeCompareSse } from '../../src/encoders/compare-sse';
import { AppError } from '../../src/errors';

const complete: ChatEvent = {
  id: 3,
  type: 'complete',
  data: {
    status: 'completed',
    done: true,
    id: 's1',
    session_id: 'x',
    user: 'anonymous',
    model: 'm/a',
    source: 'openrouter',
    finish_reason: 'stop',
    tokens: 2,
    duration: 1.2,
    tokens_per_second: 20,
    ttft_ms: 100,
    full_response: 'Hi',
    reasoning: null,
    reasoning_ms: null,
    html: '<p>Hi</p>\n',
    usage: null,
    timestamp: '2026-12-07T00:00:00.000Z',
  },
};

describe('encodeCompareSse', () => {
  test('when the compare starts, then a named start frame carries its id and both models', () => {
    expect(
      encodeCompareSse({ type: 'start', data: { compare_id: 'c1', session_id: 's', blind: false, models: { A: 'm/a', B: 'm/b' } } }),
    ).toBe('event: start\ndata: {"compare_id":"c1","session_id":"s","blind":false,"models":{"A":"m/a","B":"m/b"}}\n\n');
  });

  test('when a side learns its source, then side_start names it, and hides the model when blind', () => {
    const start: ChatEvent = {
      id: 0,
      type: 'start',
      data: { id: 's1', session_id: 'x', model: 'm/b', source: 'mock', fallback_reason: 'upstream_unavailable', fallback_message: 'Down.' },
    };
    expect(encodeCompareSse({ type: 'side', side: 'B', event: start, blind: true })).toBe(
      'event: side_start\ndata: {"model":"B","model_name":null,"source":"mock","fallback_reason":"upstream_unavailable","fallback_message":"Down."}\n\n',
    );
  });

  test('when a side sends a delta, then an unnamed data line has the design fields first, then ours', () => {
    const message: ChatEvent = {
      id: 1,
      type: 'message',
      data: { content: 'Hel', token: 'Hel', count: 1, html: { append: '', tail_edit: { keep: 3, add: 'l</p>' } } },
    };
    expect(encodeCompareSse({ type: 'side', side: 'A', event: message, blind: false })).toBe(
      'data: {"model":"A","token":"Hel","done":false,"content":"Hel","count":1,"html":{"append":"","tail_edit":{"keep":3,"add":"l</p>"}}}\n\n',
    );
  });

  test('when a side completes, then its last line has done, response_time_ms and the summary fields', () => {
    expect(encodeCompareSse({ type: 'side', side: 'A', event: complete, blind: false, end: { responseTimeMs: 1200, count: 2 } })).toBe(
      'data: {"model":"A","token":"","done":true,"response_time_ms":1200,"content":"","count":2,"html":{"append":"","final":"<p>Hi</p>\\n"},' +
        '"model_name":"m/a","finish_reason":"stop","tokens":2,"tokens_per_second":20,"ttft_ms":100,"usage":null,' +
        '"reasoning":null,"reasoning_ms":null}\n\n',
    );
    expect(encodeCompareSse({ type: 'side', side: 'A', event: complete, blind: true, end: { responseTimeMs: 1200, count: 2 } })).toContain(
      '"model_name":null,',
    );
  });

  test('when a side fails, then its last line is the error, with done and its code', () => {
    const cause = new AppError('The model provider is down.', { status: 502, code: 'upstream_unavailable', retryable: true });
    const error: ChatEvent = { id: 2, type: 'error', data: { error: cause.message, code: cause.code, retryable: true }, cause };
    expect(encodeCompareSse({ type: 'side', side: 'B', event: error, blind: false, end: { responseTimeMs: 40, count: 0 } })).toBe(
      'data: {"model":"B","done":true,"response_time_ms":40,"error":"The model provider is down.","code":"upstream_unavailable","retryable":true}\n\n',
    );
  });

  test('when a side reaches a stage, then a named side_progress frame carries its side and the progress data', () => {
    const progress: ChatEvent = {
      id: 0,
      type: 'progress',
      data: { stage: 'generating', message: 'Responding…', elapsed_ms: 900, reasoning_ms: 700 },
    };
    expect(encodeCompareSse({ type: 'side', side: 'B', event: progress, blind: false })).toBe(
      'event: side_progress\ndata: {"model":"B","stage":"generating","message":"Responding…","elapsed_ms":900,"reasoning_ms":700}\n\n',
    );
    // Blind, the frame is the same: progress names no model.
    expect(encodeCompareSse({ type: 'side', side: 'B', event: progress, blind: true })).toBe(
      encodeCompareSse({ type: 'side', side: 'B', event: progress, blind: false }),
    );
  });

  test('when a side thinks, then a named side_reasoning frame carries its side and the reasoning delta', () => {
    const reasoning: ChatEvent = { id: 1, type: 'reasoning', data: { content: 'Hmm, "two"\nlines', count: 1 } };
    expect(encodeCompareSse({ type: 'side', side: 'A', event: reasoning, blind: true })).toBe(
      'event: side_reasoning\ndata: {"model":"A","content":"Hmm, \\"two\\"\\nlines","count":1}\n\n',
    );
  });
});

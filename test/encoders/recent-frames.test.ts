import { RecentFrames } from '../../src/encoders/recent-frames';

describe('RecentFrames', () => {
  test('when an event was encoded just now, then the same event and key give back its frame', () => {
    const recent = new RecentFrames<object>(4);
    const event = {};
    recent.set(event, 'data: a\n\n', 's1');

    expect(recent.get(event, 's1')).toBe('data: a\n\n');
  });

  test('when the key differs (another answer), then the frame is not reused', () => {
    const recent = new RecentFrames<object>(4);
    const event = {};
    recent.set(event, 'data: a\n\n', 's1');

    expect(recent.get(event, 's2')).toBeUndefined();
  });

  test('when an equal but different event object is asked, then nothing is found', () => {
    const recent = new RecentFrames<object>(4);
    recent.set({ id: 1 }, 'data: a\n\n');

    expect(recent.get({ id: 1 })).toBeUndefined();
  });

  test('when as many newer frames as it holds were set, then the oldest is dropped, and with it its frame', () => {
    const recent = new RecentFrames<object>(3);
    const old = {};
    recent.set(old, 'data: old\n\n');
    const newer = [{}, {}, {}];
    newer.forEach((event, i) => recent.set(event, `data: ${i}\n\n`));

    expect(recent.get(old)).toBeUndefined();
    expect(newer.map((event) => recent.get(event))).toEqual(['data: 0\n\n', 'data: 1\n\n', 'data: 2\n\n']);
  });

  test('when one fewer newer frame than it holds was set, then the oldest is still there', () => {
    const recent = new RecentFrames<object>(3);
    const old = {};
    recent.set(old, 'data: old\n\n');
    recent.set({}, 'data: 0\n\n');
    recent.set({}, 'data: 1\n\n');

    expect(recent.get(old)).toBe('data: old\n\n');
  });
});

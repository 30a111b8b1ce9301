import type { Links } from 'marked';

interface Layer {
  /** The definitions added to this layer: labels the base does not hold. */
  own: Links;
  ownCount: number;
  base: Links | undefined;
}

/** By the layer's own definitions (the proxy's target), and by the proxy. */
const byOwn = new WeakMap<object, Layer>();
const byProxy = new WeakMap<object, Layer>();

const layerOf = (own: object): Layer => byOwn.get(own)!;
const hasLabel = (links: Links | undefined, label: PropertyKey): boolean => links !== undefined && Object.hasOwn(links, label);

function define(own: object, label: PropertyKey, value: unknown): boolean {
  const layer = layerOf(own);
  if (!Object.hasOwn(own, label)) layer.ownCount++;
  (own as Record<PropertyKey, unknown>)[label] = value;
  return true;
}

// One handler for every layer: a lexer is made for every lex, and closures per layer would cost more than the lex of a short run.
const READ_THROUGH: ProxyHandler<Links> = {
  get: (own, label) => (Object.hasOwn(own, label) ? Reflect.get(own, label) : hasLabel(layerOf(own).base, label) ? layerOf(own).base![label as string] : undefined),
  set: (own, label, value) => define(own, label, value),
  defineProperty: (own, label, descriptor) => define(own, label, descriptor.value),
  has: (own, label) => Object.hasOwn(own, label) || hasLabel(layerOf(own).base, label),
  getOwnPropertyDescriptor(own, label) {
    if (Object.hasOwn(own, label)) return Reflect.getOwnPropertyDescriptor(own, label);
    const { base } = layerOf(own);
    return hasLabel(base, label) ? { value: base![label as string], writable: true, enumerable: true, configurable: true } : undefined;
  },
  ownKeys(own) {
    const { base } = layerOf(own);
    return base === undefined ? Reflect.ownKeys(own) : [...new Set([...Reflect.ownKeys(base), ...Reflect.ownKeys(own)])];
  },
};

/**
 * Reference definitions that read through to `base` without copying it: a lexer seeded by
 * copying every definition so far costs their count on every lex, and a stream of definitions
 * is lexed again for every line, so 10,000 of them took over a minute to stream. New labels go
 * to the layer; `base` is never written and may still grow (what it adds shows through).
 * Without a base, a plain table that counts its definitions.
 */
export function createLinkLayer(base?: Links): Links {
  const own = Object.create(null) as Links;
  const layer: Layer = { own, ownCount: 0, base };
  byOwn.set(own, layer);
  const links = new Proxy(own, READ_THROUGH);
  byProxy.set(links, layer);
  return links;
}

/** How many labels `links` defines, without listing the ones a layer reads through to. */
export function linkCount(links: Links): number {
  const layer = byProxy.get(links);
  if (layer === undefined) return Object.keys(links).length;
  if (layer.base === undefined) return layer.ownCount;
  let count = linkCount(layer.base);
  if (layer.ownCount === 0) return count;
  // A layer over a lexer's text holds its few definitions; the base may have taken some since.
  for (const label of Object.keys(layer.own)) if (!hasLabel(layer.base, label)) count++;
  return count;
}

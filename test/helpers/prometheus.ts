/** Parses Prometheus text into `name{labels}` → value, labels as written, comments dropped. */
export function parseSamples(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

/** The samples whose series name is `name` exactly (labels of any value). */
export function seriesOf(samples: Map<string, number>, name: string): Record<string, number> {
  return Object.fromEntries([...samples].filter(([key]) => key === name || key.startsWith(`${name}{`)));
}

// Preloaded into the server by `npm run soak` (with --expose-gc): SIGUSR2 runs a full garbage
// collection, so the soak can weigh what the server still holds once its streams have ended.
// RSS alone cannot tell a leak from memory the allocator keeps: with SOAK_MEMORY_FILE set, the
// V8 heap and buffer figures after the collection are written there for the soak to read.
const { writeFileSync } = require('node:fs');

const out = process.env.SOAK_MEMORY_FILE;
if (typeof global.gc === 'function') {
  process.on('SIGUSR2', () => {
    global.gc();
    if (out) writeFileSync(out, JSON.stringify(process.memoryUsage()));
  });
}

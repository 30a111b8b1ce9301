// Preloaded into the server the harness starts (`node --require`): if the harness dies without
// cleaning up (SIGKILL), the server notices its parent is gone and exits instead of lingering.
// It adds one unref'd 1 s timer and nothing else to the server.
'use strict';
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
}, 1000).unref();

// Preloaded into the server by `npm run soak` (with --expose-gc): SIGUSR2 runs a full garbage
// collection, so the soak can weigh what the server still holds once its streams have ended.
if (typeof global.gc === 'function') process.on('SIGUSR2', () => global.gc());

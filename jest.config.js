/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // marked and jose ship ESM only; let swc turn them into CommonJS for jest's module system.
  transformIgnorePatterns: ['/node_modules/(?!(marked|jose)/)'],
  testTimeout: 15000,
  // Jest's default on two cores is one worker, which put `npm test` at the 10-minute line; most
  // suites wait on sockets, browsers and child processes, so two keep both cores busy.
  maxWorkers: 2,
};

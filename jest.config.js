/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // marked ships ESM only; let swc turn it into CommonJS for jest's module system.
  transformIgnorePatterns: ['/node_modules/(?!marked/)'],
  testTimeout: 15000,
};

export * from './app-error';
export * from './client-errors';
export * from './config-error';
export * from './upstream-errors';
export * from './guard-errors';

export * from './app-error';
export * from './client-errors';
export * from './config-error';
export * from './upstream-errors';
export * from './quote-value';
export * from './guard-errors';
export * from './document-errors';

export * from './apps';
export * from './client';
export * from './harness';

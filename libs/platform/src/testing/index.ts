import 'reflect-metadata';
export * from './test-database';
export * from './migrated-data-source';
export * from './manual-clock';
export * from './wait-for';
export * from './recording-outbox';
export * from './service-tier';
export * from './envelope';
export * from './free-port';

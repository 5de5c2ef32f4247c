export * from './test-database';
export * from './manual-clock';
export * from './wait-for';

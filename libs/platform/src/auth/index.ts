export * from './principal';
export * from './auth.decorators';
export * from './token-verifier';
export * from './auth.guard';
export * from './city-wide.guard';

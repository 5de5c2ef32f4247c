export const CONSOLE_CONFIG = Symbol('CONSOLE_CONFIG');

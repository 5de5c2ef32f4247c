export const INTAKE_CONFIG = Symbol('INTAKE_CONFIG');
export const STORAGE_PORT = Symbol('STORAGE_PORT');

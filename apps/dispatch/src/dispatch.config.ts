import { ServiceConfig } from '@app/platform';

export class DispatchConfig extends ServiceConfig {
  override PORT = 3002;
}

export const DISPATCH_CONFIG = Symbol('DISPATCH_CONFIG');

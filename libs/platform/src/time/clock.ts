import { Injectable } from '@nestjs/common';

export const CLOCK = Symbol('CLOCK');

/** Time as the service sees it. Injected everywhere a rule depends on "now", so tests can move it. */
export interface Clock {
  now(): Date;
}

@Injectable()
export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

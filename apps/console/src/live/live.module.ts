import { DynamicModule, Module } from '@nestjs/common';
import { ConsoleConfig } from '../console.config';
import { CONSOLE_CONFIG } from '../console.tokens';
import { LiveController } from './live.controller';
import { LiveService } from './live.service';

/** GET /events: the bus, filtered per person, as Server-Sent Events (see docs/console.md, Live updates). */
@Module({})
export class LiveModule {
  static forRoot(config: ConsoleConfig): DynamicModule {
    return {
      module: LiveModule,
      controllers: [LiveController],
      providers: [{ provide: CONSOLE_CONFIG, useValue: config }, LiveService],
    };
  }
}

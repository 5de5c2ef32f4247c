import { natsConnectionOptions } from '@app/platform';
import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { connect, NatsConnection, Subscription } from 'nats';
import { ConsoleConfig } from '../console.config';
import { CONSOLE_CONFIG } from '../console.tokens';
import { LiveEvent, toLiveEvent } from './live-filter';

type Listener = (event: LiveEvent) => void;

/**
 * One core-NATS subscription on `<prefix>.>` for the whole console (JetStream publishes are visible to
 * core subscribers): no consumer state, nothing to ack; a browser that missed events refetches on
 * reconnect. Every open /events stream registers a listener here.
 */
@Injectable()
export class LiveService implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('Live');
  private readonly listeners = new Set<Listener>();
  private nc?: NatsConnection;
  private sub?: Subscription;

  constructor(@Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig) {}

  async onModuleInit(): Promise<void> {
    this.nc = await connect(natsConnectionOptions(this.config, 'jiesu-console-live'));
    this.sub = this.nc.subscribe(`${this.config.BUS_PREFIX}.>`);
    void this.pump(this.sub);
  }

  private async pump(sub: Subscription): Promise<void> {
    for await (const m of sub) {
      let event: LiveEvent | null = null;
      try {
        event = toLiveEvent(m.json());
      } catch {
        event = null;
      }
      if (!event) continue;
      for (const l of this.listeners) {
        try {
          l(event);
        } catch (e) {
          this.log.warn(`a live listener failed: ${(e as Error).message}`);
        }
      }
    }
  }

  listen(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get connections(): number {
    return this.listeners.size;
  }

  async onModuleDestroy(): Promise<void> {
    this.listeners.clear();
    await this.nc?.drain().catch(() => undefined);
  }
}

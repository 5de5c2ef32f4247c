import { ServerNats } from '@nestjs/microservices';
import { querySubject } from '@app/contracts';
import { Msg, NatsConnection, Subscription } from 'nats';

type NatsOptions = ConstructorParameters<typeof ServerNats>[0];

/**
 * Nest's NATS transport for request/reply queries (`@MessagePattern`), with every pattern subscribed
 * under the deployment's prefix (`hotline-q.<pattern>`): two deployments, or two test platforms, on
 * one NATS server never answer each other's queries. Handlers are still looked up by the bare
 * pattern. The `-q` keeps queries out of the event stream, which captures `<prefix>.>`.
 */
export class PrefixedNatsServer extends ServerNats {
  constructor(
    private readonly natsOptions: NatsOptions,
    private readonly prefix: string,
  ) {
    super(natsOptions);
  }

  override bindEvents(client: NatsConnection): void {
    // ServerNats unsubscribes what is in its (TypeScript-private) list on close.
    const subscriptions = (this as unknown as { subscriptions: Subscription[] }).subscriptions;
    for (const [pattern, handler] of this.messageHandlers) {
      const queue = (handler.extras?.queue as string | undefined) ?? this.natsOptions?.queue;
      const callback = this.getMessageHandler(pattern).bind(this) as (err: Error | null, msg: Msg) => void;
      subscriptions.push(client.subscribe(querySubject(this.prefix, pattern), { queue, callback }));
    }
  }
}

import { BatchScope } from '../bus/batch-scope';
import { HandlerContext } from '../bus/consumer-host';

/**
 * Call handlers as one consumer batch would, without the bus: each call gets the batch's context
 * (`ctx`), then the work they left for the end of the batch runs (BatchScope.flush), as the
 * ConsumerHost does before its commit. `asBatch((ctx) => handlers.closed(e, ctx))` is a batch of one.
 */
export async function asBatch(apply: (ctx: HandlerContext) => Promise<void>): Promise<void> {
  const batch = new BatchScope();
  await apply({ delivery: 1, batch });
  await batch.flush();
}

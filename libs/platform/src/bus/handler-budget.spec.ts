import { HandlerBudget } from './handler-budget';

describe('HandlerBudget', () => {
  it('lets `size` handlers run at once and hands slots over in FIFO order', async () => {
    const budget = new HandlerBudget(2);
    const a = await budget.acquire();
    const b = await budget.acquire();
    expect(budget.running).toBe(2);
    const order: string[] = [];
    const c = budget.acquire().then((release) => (order.push('c'), release));
    const d = budget.acquire().then((release) => (order.push('d'), release));
    await Promise.resolve();
    expect(order).toEqual([]);
    expect(budget.queued).toBe(2);
    a();
    a(); // a second release of one slot is ignored
    const releaseC = await c;
    expect(order).toEqual(['c']);
    b();
    const releaseD = await d;
    expect(order).toEqual(['c', 'd']);
    expect(budget.running).toBe(2);
    releaseC();
    releaseD();
    expect(budget.running).toBe(0);
  });

  it('refuses a budget below one', () => {
    expect(() => new HandlerBudget(0)).toThrow('positive integer');
  });
});

import { IllegalTransition, nextState, OrderState } from './order-state';

describe('order workflow', () => {
  it('walks the happy path', () => {
    let s = OrderState.Dispatched;
    for (const a of ['sign', 'contact', 'reply', 'approve', 'close'] as const) s = nextState(s, a);
    expect(s).toBe(OrderState.Closed);
  });

  it('lets a reopened or sent-back order be replied again', () => {
    expect(nextState(OrderState.Reopened, 'reply')).toBe(OrderState.Replied);
    expect(nextState(OrderState.Rework, 'reply')).toBe(OrderState.Replied);
  });

  it.each([
    [OrderState.Dispatched, 'reply'],
    [OrderState.Signed, 'reply'],
    [OrderState.AwaitingCallback, 'approve'],
    [OrderState.Closed, 'reopen'],
    [OrderState.Closed, 'sign'],
  ] as const)('refuses %s → %s with the reason', (state, action) => {
    expect(() => nextState(state, action)).toThrow(IllegalTransition);
    expect(() => nextState(state, action)).toThrow(new RegExp(`order that is ${state}`));
  });
});

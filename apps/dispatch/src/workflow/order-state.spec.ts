import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IllegalTransition, nextState, OrderState, stateDiagram, withStateDiagram } from './order-state';

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

  it('passes a reply through the head’s sign-off, and back to the handler when rejected', () => {
    expect(nextState(OrderState.Contacted, 'submit_signoff')).toBe(OrderState.AwaitingSignoff);
    expect(nextState(OrderState.AwaitingSignoff, 'head_approve')).toBe(OrderState.Replied);
    expect(nextState(OrderState.AwaitingSignoff, 'head_reject')).toBe(OrderState.SignoffRejected);
    expect(nextState(OrderState.SignoffRejected, 'reply')).toBe(OrderState.Replied);
  });

  it('returns: accepted goes to the next unit, refused leaves the order signed by the unit that asked', () => {
    expect(nextState(OrderState.Dispatched, 'return_request')).toBe(OrderState.ReturnRequested);
    expect(nextState(OrderState.ReturnRequested, 'return_accept')).toBe(OrderState.Dispatched);
    expect(nextState(OrderState.ReturnRequested, 'return_refuse')).toBe(OrderState.Signed);
  });

  it('双交办 waits for the leader; a dispatcher may reopen a closed order', () => {
    expect(nextState(OrderState.Unrouted, 'hold_for_leader')).toBe(OrderState.AwaitingLeader);
    expect(nextState(OrderState.AwaitingLeader, 'leader_dispatch')).toBe(OrderState.Dispatched);
    expect(nextState(OrderState.Closed, 'reopen')).toBe(OrderState.Reopened);
    expect(nextState(OrderState.Closed, 'reopen_to')).toBe(OrderState.Dispatched);
  });

  it('转区: an unrouted or returned order leaves for another district and arrives there unrouted', () => {
    expect(nextState(OrderState.Unrouted, 'transfer_district')).toBe(OrderState.Transferred);
    expect(nextState(OrderState.ReturnRequested, 'transfer_district')).toBe(OrderState.Transferred);
    expect(nextState(OrderState.Transferred, 'receive_district')).toBe(OrderState.Unrouted);
  });

  it.each([
    [OrderState.Dispatched, 'transfer_district'],
    [OrderState.Signed, 'transfer_district'],
    [OrderState.Transferred, 'dispatch'],
    [OrderState.Transferred, 'transfer_district'],
    [OrderState.Unrouted, 'receive_district'],
    [OrderState.Dispatched, 'reply'],
    [OrderState.Signed, 'reply'],
    [OrderState.AwaitingCallback, 'approve'],
    [OrderState.Closed, 'close'],
    [OrderState.Closed, 'sign'],
    [OrderState.Contacted, 'return_request'],
    [OrderState.AwaitingLeader, 'dispatch'],
    [OrderState.AwaitingSignoff, 'approve'],
  ] as const)('refuses %s → %s with the reason', (state, action) => {
    expect(() => nextState(state, action)).toThrow(IllegalTransition);
    expect(() => nextState(state, action)).toThrow(new RegExp(`order that is ${state}`));
  });
});

describe('the state diagram in docs/architecture.md', () => {
  it('is the one generated from the transitions (npx ts-node --transpile-only scripts/state-diagram.ts)', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'architecture.md'), 'utf8');
    expect(doc).toBe(withStateDiagram(doc));
    expect(stateDiagram()).toContain('awaiting_callback --> reopened: reopen 重办');
  });
});

/**
 * Live updates: one EventSource on the console's GET /events (fed by the bus, filtered to what the person
 * may see). Each event invalidates the queries it can change, so every list refetches within a moment,
 * and those of the services that apply events a little later once more (RefreshSchedule);
 * query keys start with the service that answers them (['dispatch', 'queues', ...]), which is what an
 * event type maps to. A new urgent order rings (sound + a browser notification, if the person allowed it).
 */
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { dispatch } from '../../api/clients';
import i18n from '../../i18n';
import { RefreshSchedule } from './refresh-schedule';

export interface LiveEvent {
  type: string;
  district: string;
  ticketId: string | null;
  occurredAt: string;
  data?: Record<string, unknown>;
}

export type LiveState = 'connecting' | 'open' | 'closed';

/** Which services' queries an event can change, by the event type's first word. */
const AFFECTS: Record<string, readonly string[]> = {
  ticket: ['intake', 'dispatch', 'sla', 'callback'],
  sla: ['sla', 'dispatch'],
  callback: ['callback', 'analytics', 'dispatch'],
  hotspot: ['analytics'],
  staff: ['dispatch'],
  notification: ['notify'],
};

type Listener = (event: LiveEvent) => void;
const listeners = new Set<Listener>();

/** For a screen that wants to react to an event itself (besides the automatic invalidation). */
export function onLiveEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const URGENT_TYPES = new Set(['ticket.accepted.v1', 'ticket.dispatched.v1']);

export function isNewUrgent(event: LiveEvent): boolean {
  return URGENT_TYPES.has(event.type) && event.data?.urgency === 'urgent';
}

function ring(event: LiveEvent): void {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.value = 0.15;
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.4);
    osc.onended = () => void ctx.close();
  } catch {
    // No audio device: the notification below still shows.
  }
  if ('Notification' in window && Notification.permission === 'granted') void notifyUrgent(event);
}

/**
 * The notification names the order. A dispatch event does not carry its number (ticket.dispatched.v1
 * has none), so it is read from dispatch first: one call for one urgent order; without it, no number.
 */
async function notifyUrgent(event: LiveEvent): Promise<void> {
  let orderNo = typeof event.data?.orderNo === 'string' ? event.data.orderNo : '';
  if (!orderNo && event.ticketId) {
    try {
      const r = await dispatch.GET('/orders/{ticketId}', { params: { path: { ticketId: event.ticketId } } });
      orderNo = r.data?.orderNo ?? '';
    } catch {
      // the notification still shows, without the number
    }
  }
  new Notification(i18n.t('live.urgentTitle'), { body: i18n.t('live.urgentBody', { orderNo }), tag: event.ticketId ?? undefined });
}

function invalidate(client: QueryClient, services: ReadonlySet<string>): void {
  void client.invalidateQueries({ predicate: (q) => services.has(String(q.queryKey[0])) });
}

export function useLiveEvents(enabled: boolean): LiveState {
  const client = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    const source = new EventSource('/events', { withCredentials: true });
    const refresh = new RefreshSchedule((services) => invalidate(client, services));
    source.onopen = () => setState('open');
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'closed' : 'connecting');
    source.onmessage = (message: MessageEvent<string>) => {
      let event: LiveEvent;
      try {
        event = JSON.parse(message.data) as LiveEvent;
      } catch {
        return;
      }
      refresh.add(AFFECTS[event.type.split('.')[0]] ?? []);
      if (isNewUrgent(event)) ring(event);
      for (const l of listeners) l(event);
    };
    return () => {
      refresh.stop();
      source.close();
    };
  }, [enabled, client]);
  return state;
}

/** Ask once, from a click (browsers only allow the prompt from a gesture). */
export function askNotificationPermission(): void {
  if ('Notification' in window && Notification.permission === 'default') void Notification.requestPermission();
}

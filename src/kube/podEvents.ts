// The events about one pod, read once (a pod row's "Show Events"): the core v1 events API, which
// serves the events of both APIs, selected by the object they are about; a role that may read only
// events.k8s.io gets those. Merged into rows (domain/model/events.ts), newest first.
import { eventsAbout, objectEvents, type EventView } from '../domain/model/events';
import { leanEvent, type LeanEvent } from '../domain/model/lean';
import type { KubeClient } from './client';
import { ClusterError } from './errors';

export async function podEvents(client: KubeClient, namespace: string, pod: string, signal?: AbortSignal): Promise<EventView[]> {
  const ns = encodeURIComponent(namespace);
  const read = async (path: string, fieldSelector: string, resource: string): Promise<LeanEvent[]> => {
    const list = await client.request<{ items?: unknown[] }>(path, { query: { fieldSelector }, signal, info: { verb: 'list', resource, namespace } });
    return (list.items ?? []).map((e) => leanEvent(e as Record<string, unknown>)).filter((e): e is LeanEvent => !!e);
  };
  let events: LeanEvent[];
  try {
    events = await read(`/api/v1/namespaces/${ns}/events`, `involvedObject.kind=Pod,involvedObject.name=${pod}`, 'events');
  } catch (e) {
    if (!(e instanceof ClusterError && e.kind === 'forbidden')) throw e;
    events = await read(`/apis/events.k8s.io/v1/namespaces/${ns}/events`, `regarding.kind=Pod,regarding.name=${pod}`, 'events.events.k8s.io');
  }
  return eventsAbout(objectEvents('Pod', pod), events);
}

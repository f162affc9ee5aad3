// A Flagger load tester's gate API (pkg/loadtester/server.go of Flagger v1.36), reached through the
// API server's service proxy with the context's own credentials: never a port-forward. Finds the
// Service each gate webhook names (by DNS name, or by the address its EndpointSlices hold), and sends
// an action plan's calls, saying what went wrong in words: no such Service, the proxy forbidden
// (RBAC: create on services/proxy), no endpoint behind it, or the load tester's own refusal.
import type { PlannedCall } from '../domain/actions/plans';
import { ActionRefused } from '../domain/actions/plans';
import { proxyPath } from '../domain/actions/flagger';
import { serviceForAddress, type GateHook, type ResolvedGate } from '../domain/actions/flaggerGates';
import type { EndpointSlice } from '../domain/model/objects';
import type { KubeClient } from './client';
import { ClusterError } from './errors';

const SLICES = '/apis/discovery.k8s.io/v1';

async function slicesIn(client: KubeClient, namespace?: string): Promise<EndpointSlice[]> {
  const path = namespace ? `${SLICES}/namespaces/${encodeURIComponent(namespace)}/endpointslices` : `${SLICES}/endpointslices`;
  return (await client.request<{ items: EndpointSlice[] }>(path, { info: { verb: 'list', resource: 'endpointslices.discovery.k8s.io', namespace } })).items;
}

/**
 * The load tester Service of each hook. An IP address is looked up in the Canary's namespace's
 * EndpointSlices, then in the whole cluster's (the load tester often runs in its own namespace).
 */
export async function resolveGates(client: KubeClient, canaryNamespace: string, hooks: readonly GateHook[]): Promise<ResolvedGate[]> {
  const resolved: ResolvedGate[] = [];
  let everywhere: EndpointSlice[] | undefined;
  for (const hook of hooks) {
    const a = hook.address;
    let service: ResolvedGate['service'] | undefined;
    if (a.kind === 'service') {
      service = { namespace: a.namespace, name: a.name, port: a.port };
      try {
        await client.request(`/api/v1/namespaces/${encodeURIComponent(a.namespace)}/services/${encodeURIComponent(a.name)}`, { info: { verb: 'get', resource: 'services', namespace: a.namespace, name: a.name } });
      } catch (e) {
        if (e instanceof ClusterError && e.kind === 'notFound') throw new ActionRefused(`Service "${a.name}" in namespace "${a.namespace}" (the load tester of webhook "${hook.webhook.name}", ${hook.webhook.url}) does not exist.`);
        // Reading it may be forbidden where proxying is allowed: the proxy answers for itself.
        if (!(e instanceof ClusterError && e.kind === 'forbidden')) throw e;
      }
    } else {
      service = serviceForAddress(await slicesIn(client, canaryNamespace), a.ip, a.port);
      if (!service) {
        try {
          everywhere ??= await slicesIn(client);
        } catch (e) {
          if (e instanceof ClusterError && e.kind === 'forbidden') throw new ActionRefused(`No Service in namespace "${canaryNamespace}" has the address ${a.ip}:${a.port} of webhook "${hook.webhook.name}", and you may not list EndpointSlices in other namespaces to find it.`);
          throw e;
        }
        service = serviceForAddress(everywhere, a.ip, a.port);
      }
      if (!service) throw new ActionRefused(`No Service's EndpointSlice has the address ${a.ip}:${a.port} of webhook "${hook.webhook.name}" (${hook.webhook.url}): Switchyard reaches a load tester only through a Service, with the API server's service proxy.`);
    }
    resolved.push({ ...hook, service });
  }
  return resolved;
}

/** The sentence for a call's answer that is no success; undefined for a success. */
export function callFailure(call: PlannedCall, status: number, body: unknown): string | undefined {
  if (status >= 200 && status < 300) return undefined;
  const svc = `${call.namespace}/${call.service}`;
  const s = body as { kind?: string; message?: string } | undefined;
  if (s?.kind === 'Status') {
    // The API server's own answer: the proxy did not reach the load tester.
    const said = s.message ? ` The API server said: ${s.message}` : '';
    switch (status) {
      case 401: return `The cluster rejected this context's credentials while proxying to the load tester ${svc}.${said}`;
      case 403: return `Forbidden: you may not use the service proxy of ${svc} (it needs "create" on services/proxy in namespace "${call.namespace}"). Nothing was changed.${said}`;
      case 404: return `The API server cannot proxy to ${svc}${call.port ? ` port ${call.port}` : ''}: no such Service or port, or no endpoint behind it.${said}`;
      case 503: return `The load tester ${svc} cannot be reached through the API server: no ready endpoint, or the API server cannot connect to it.${said}`;
      default: return `The API server's proxy to ${svc} answered ${status}.${said}`;
    }
  }
  const text = typeof body === 'string' ? body.trim().slice(0, 200) : body === undefined ? '' : JSON.stringify(body).slice(0, 200);
  // The load tester's own answers (server.go): 403 from its namespace filter (-namespace-regexp), 400 for a body it cannot read.
  if (status === 403) return `The load tester ${svc} refused ${call.path} for namespace "${(call.body as { namespace?: string }).namespace}" (403${text ? ` ${text}` : ''}): it accepts only the namespaces its -namespace-regexp allows.`;
  if (status === 404) return `The load tester ${svc} has no ${call.path} (404${text ? ` ${text}` : ''}): is it a Flagger load tester, of a version with the gate API?`;
  return `The load tester ${svc} answered ${status} to ${call.path}${text ? `: ${text}` : ''}.`;
}

/** Sends the calls in order; the first failure stops the rest and is thrown with its sentence. */
export async function sendCalls(client: KubeClient, calls: readonly PlannedCall[], signal?: AbortSignal): Promise<{ call: PlannedCall; status: number }[]> {
  const done: { call: PlannedCall; status: number }[] = [];
  for (const call of calls) {
    const answer = await client.send(proxyPath(call), { method: 'POST', body: call.body, signal, info: { verb: 'create', resource: 'services/proxy', namespace: call.namespace, name: call.service } });
    const failure = callFailure(call, answer.status, answer.body);
    if (failure) throw new ClusterError(answer.status === 403 ? 'forbidden' : 'server', done.length ? `${failure} (${done.length} of ${calls.length} calls were sent before.)` : failure, answer.status, answer.info, answer.body);
    done.push({ call, status: answer.status });
  }
  return done;
}

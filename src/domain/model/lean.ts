// Lean objects for the store: what a watch delivers, without what the view model, the panels and the
// tree never read. managedFields and kubectl's last-applied copy are often larger than the rest of
// an object, and a pod's spec (volumes, env, probes, …) is most of a pod: at 20,000 pods that is
// most of the store's memory. The actions never use these: they read fresh, full objects before
// they write. Pure; trimmed at the watch boundary (src/kube/session.ts).
import type { KubeObject, ObjectMeta } from './objects';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function leanMeta(m: ObjectMeta & { managedFields?: unknown }): ObjectMeta {
  const { managedFields: _managedFields, ...rest } = m;
  const annotations = m.annotations && LAST_APPLIED in m.annotations ? Object.fromEntries(Object.entries(m.annotations).filter(([k]) => k !== LAST_APPLIED)) : m.annotations;
  return { ...rest, ...(annotations ? { annotations } : {}) };
}

type Containers = { name: string; image?: string }[] | undefined;
const leanContainers = (cs: Containers) => cs?.map((c) => ({ name: c.name, image: c.image }));

/** A pod spec reduced to what is shown: its node and each container's name and image. */
function leanPodSpec(spec: { nodeName?: string; containers?: Containers; initContainers?: Containers } | undefined) {
  if (!spec) return undefined;
  return {
    ...(spec.nodeName !== undefined ? { nodeName: spec.nodeName } : {}),
    ...(spec.containers ? { containers: leanContainers(spec.containers) } : {}),
    ...(spec.initContainers ? { initContainers: leanContainers(spec.initContainers) } : {}),
  };
}

/** An object with a pod template (Deployment, ReplicaSet, Rollout): the template keeps its metadata and lean spec. */
function withLeanTemplate<T extends { spec?: { template?: { metadata?: unknown; spec?: unknown } } }>(o: T): T {
  const template = o.spec?.template;
  if (!template) return o;
  return { ...o, spec: { ...o.spec, template: { ...(template.metadata ? { metadata: template.metadata } : {}), ...(template.spec ? { spec: leanPodSpec(template.spec as never) } : {}) } } };
}

/** An Experiment: each template's pod template lean, as a ReplicaSet's. */
function withLeanTemplates<T extends { spec?: any }>(o: T): T {
  const templates: unknown = o.spec?.templates;
  if (!Array.isArray(templates)) return o;
  return { ...o, spec: { ...o.spec, templates: templates.map((t) => withLeanTemplate({ spec: t }).spec) } };
}

/** The object as the store keeps it; `kind` says which list it belongs to. */
export function leanObject<T extends KubeObject>(list: 'pods' | 'deployments' | 'replicaSets' | 'rollouts' | 'services' | 'endpointSlices' | 'analysisRuns' | 'experiments', o: T): T {
  if (!o?.metadata) return o;
  const lean = { ...o, metadata: leanMeta(o.metadata) } as T & { spec?: any };
  switch (list) {
    case 'pods':
      return lean.spec ? { ...lean, spec: leanPodSpec(lean.spec) } : lean;
    case 'deployments':
    case 'replicaSets':
    case 'rollouts':
      return withLeanTemplate(lean);
    case 'experiments':
      return withLeanTemplates(lean);
    default:
      return lean;
  }
}

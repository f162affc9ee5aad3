// Random namespaces for checking the view model against its reference: Deployments with 1-3
// ReplicaSets and their pods, blue/green pairs (with preview Services and EndpointSlices), replica
// canaries, Rollouts with AnalysisRuns and Experiments (their ReplicaSets, pods and runs), objects without uids (as in fixtures), shuffled lists and
// random deletions. Seeded, so a failure names the seed that reproduces it.
import { emptySnapshot, type AnalysisRun, type Deployment, type EndpointSlice, type Experiment, type NamespaceSnapshot, type Pod, type ReplicaSet, type Rollout, type Service } from '../../src/domain/model/objects';

export type Random = () => number;

/** mulberry32: a small seeded generator, [0, 1). */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const int = (random: Random, n: number) => Math.floor(random() * n);
export const pick = <T>(random: Random, xs: readonly T[]): T => xs[int(random, xs.length)];
export const chance = (random: Random, p: number) => random() < p;

const TIMES = ['2026-11-25T10:00:00Z', '2026-11-25T10:01:00Z', '2026-11-25T10:02:00Z', undefined];
const COLOURS = ['blue', 'green'];

export function shuffle<T>(random: Random, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = int(random, i + 1);
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

/** Builds objects with names unique per kind; `uid` is left out now and then, as in the fixtures. */
export class NamespaceGenerator {
  private serial = 0;

  constructor(
    readonly random: Random,
    readonly namespace = 'random',
  ) {}

  private uid(): string | undefined {
    return chance(this.random, 0.15) ? undefined : `uid-${++this.serial}`;
  }

  private ref(kind: string, owner: { metadata: { name: string; uid?: string } }) {
    // An owner reference always carries a uid in a cluster; fixtures leave it out with the owner's.
    return { apiVersion: 'v1', kind, name: owner.metadata.name, uid: owner.metadata.uid as string, controller: true };
  }

  pod(owner: ReplicaSet, name: string, labels: Record<string, string>): Pod {
    const r = this.random;
    const phase = pick(r, ['Running', 'Running', 'Running', 'Pending', 'Failed', 'Succeeded', undefined]);
    const ready = chance(r, 0.7);
    return {
      metadata: { name, namespace: this.namespace, uid: this.uid(), labels, creationTimestamp: pick(r, TIMES), ownerReferences: [this.ref('ReplicaSet', owner)], ...(chance(r, 0.05) ? { deletionTimestamp: '2026-11-25T10:03:00Z' } : {}) },
      spec: { nodeName: `node-${int(r, 3)}` },
      status: {
        phase,
        conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
        containerStatuses: [{ name: 'app', ready, restartCount: int(r, 3), state: chance(r, 0.1) ? { waiting: { reason: pick(r, ['CrashLoopBackOff', 'ContainerCreating', 'ErrImagePull']) } } : { running: {} } }],
      },
    };
  }

  replicaSet(owner: Deployment | Rollout | Experiment, kind: 'Deployment' | 'Rollout' | 'Experiment', revision: number, labels: Record<string, string>, template?: string): ReplicaSet {
    const r = this.random;
    const hash = `h${++this.serial}`;
    const replicas = int(r, 4);
    return {
      metadata: {
        name: `${owner.metadata.name}-${hash}`,
        namespace: this.namespace,
        uid: this.uid(),
        generation: 1 + int(r, 2),
        creationTimestamp: pick(r, TIMES),
        labels: { ...labels, [kind === 'Deployment' ? 'pod-template-hash' : 'rollouts-pod-template-hash']: hash },
        annotations: {
          [kind === 'Deployment' ? 'deployment.kubernetes.io/revision' : 'rollout.argoproj.io/revision']: String(revision),
          ...(chance(r, 0.3) ? { 'kubernetes.io/change-cause': `rev ${revision}` } : {}),
          ...(chance(r, 0.2) ? { 'scale-down-deadline': pick(r, TIMES) ?? 'garbage' } : {}),
          ...(template ? { 'experiment.argoproj.io/template-name': template } : {}),
        },
        ownerReferences: [this.ref(kind, owner)],
      },
      spec: { replicas, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: `ghcr.io/acme/${owner.metadata.name}:${revision}` }] } } },
      status: { replicas, readyReplicas: int(r, replicas + 1), availableReplicas: int(r, replicas + 1), observedGeneration: 1 + int(r, 2) },
    };
  }

  deployment(name: string, labels: Record<string, string>, annotations: Record<string, string> = {}): Deployment {
    const r = this.random;
    const replicas = int(r, 5);
    return {
      metadata: { name, namespace: this.namespace, uid: this.uid(), generation: 2, resourceVersion: String(++this.serial), annotations },
      spec: { replicas, paused: chance(r, 0.1), strategy: { type: chance(r, 0.2) ? 'Recreate' : 'RollingUpdate' }, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: `ghcr.io/acme/${name}:${int(r, 3)}` }] } } },
      status: { observedGeneration: 1 + int(r, 2), replicas: int(r, replicas + 2), updatedReplicas: int(r, replicas + 1), readyReplicas: int(r, replicas + 1), availableReplicas: int(r, replicas + 1), conditions: chance(r, 0.1) ? [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] : [] },
    };
  }

  /** A Deployment or Rollout's ReplicaSets (1-3, revisions counting up) and their pods. */
  revisions(owner: Deployment | Rollout, kind: 'Deployment' | 'Rollout', into: NamespaceSnapshot): ReplicaSet[] {
    const labels = owner.spec?.template?.metadata?.labels ?? {};
    const sets = Array.from({ length: 1 + int(this.random, 3) }, (_, i) => this.replicaSet(owner, kind, i + 1, labels));
    for (const rs of sets) {
      into.replicaSets.push(rs);
      for (let i = 0; i < int(this.random, 4); i++) into.pods.push(this.pod(rs, `${rs.metadata.name}-${i}`, rs.metadata.labels!));
    }
    return sets;
  }

  service(name: string, selector: Record<string, string>, annotations: Record<string, string> = {}): Service {
    return { metadata: { name, namespace: this.namespace, uid: this.uid(), resourceVersion: String(++this.serial), annotations }, spec: { selector, ports: [{ port: 80 }] } };
  }

  endpointSlice(service: string, pods: Pod[]): EndpointSlice {
    return {
      metadata: { name: `${service}-${++this.serial}`, namespace: this.namespace, uid: this.uid(), labels: { 'kubernetes.io/service-name': service } },
      endpoints: pods.map((p) => ({ addresses: ['10.0.0.1'], conditions: { ready: chance(this.random, 0.8) }, targetRef: { kind: 'Pod', name: p.metadata.name } })),
    };
  }

  rollout(name: string, labels: Record<string, string>, workloadRef?: string): Rollout {
    const r = this.random;
    const canary = chance(r, 0.5);
    return {
      metadata: { name, namespace: this.namespace, uid: this.uid(), generation: 2, resourceVersion: String(++this.serial) },
      spec: {
        replicas: 1 + int(r, 4),
        ...(workloadRef ? { workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: workloadRef } } : { template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: `ghcr.io/acme/${name}:1` }] } } }),
        strategy: chance(r, 0.05)
          ? {} // no strategy: the controller refuses it
          : canary
            ? {
                canary: {
                  steps: [{ setWeight: 20 }, chance(r, 0.4) ? { experiment: { duration: '30s', templates: [{ name: 'baseline', specRef: 'stable' }] } } : { pause: {} }, { setWeight: 50 }],
                  ...(chance(r, 0.3) ? { trafficRouting: { nginx: {}, ...(chance(r, 0.5) ? { maxTrafficWeight: 200 } : {}) } } : {}),
                  ...(chance(r, 0.15) ? { pingPong: { pingService: `${name}-ping`, pongService: `${name}-pong` } } : {}),
                },
              }
            : { blueGreen: { activeService: `${name}-active`, previewService: `${name}-preview`, ...(chance(r, 0.3) ? { postPromotionAnalysis: {}, prePromotionAnalysis: {} } : {}) } },
      },
      status: { observedGeneration: '2', phase: pick(r, ['Healthy', 'Paused', 'Progressing', 'Degraded', undefined]), replicas: int(r, 4), updatedReplicas: int(r, 4), readyReplicas: int(r, 4), availableReplicas: int(r, 4), currentStepIndex: int(r, 4), abort: chance(r, 0.1) },
    };
  }

  analysisRun(owner: Rollout | Experiment, revision: number, kind: 'Rollout' | 'Experiment' = 'Rollout'): AnalysisRun {
    const r = this.random;
    return {
      metadata: { name: `${owner.metadata.name}-run-${++this.serial}`, namespace: this.namespace, uid: this.uid(), creationTimestamp: pick(r, TIMES), annotations: { 'rollout.argoproj.io/revision': String(revision) }, ownerReferences: [this.ref(kind, owner)] },
      status: { phase: pick(r, ['Running', 'Successful', 'Failed']), metricResults: [{ name: 'success-rate', phase: 'Running', successful: int(r, 5), measurements: [{ phase: 'Successful', value: `[0.9${int(r, 10)}]` }] }] },
    };
  }

  /** An Experiment of a Rollout (one or two templates), with a ReplicaSet per template (now and then missing), pods and a run. */
  experiment(owner: Rollout, revision: number, into: NamespaceSnapshot): Experiment {
    const r = this.random;
    const templates = ['baseline', 'canary'].slice(0, 1 + int(r, 2));
    const experiment: Experiment = {
      metadata: { name: `${owner.metadata.name}-exp-${++this.serial}`, namespace: this.namespace, uid: this.uid(), creationTimestamp: pick(r, TIMES), annotations: { 'rollout.argoproj.io/revision': String(revision) }, ownerReferences: [this.ref('Rollout', owner)] },
      spec: { duration: pick(r, ['30s', undefined]), templates: templates.map((name) => ({ name, replicas: int(r, 3) })) },
      status: { phase: pick(r, ['Pending', 'Running', 'Successful', 'Failed', undefined]), templateStatuses: templates.filter(() => chance(r, 0.7)).map((name) => ({ name, status: pick(r, ['Progressing', 'Running']) })) },
    };
    for (const name of templates) {
      if (chance(r, 0.2)) continue;
      const rs = this.replicaSet(experiment, 'Experiment', revision, { app: owner.metadata.name, template: name }, name);
      into.replicaSets.push(rs);
      for (let i = 0; i < int(r, 3); i++) into.pods.push(this.pod(rs, `${rs.metadata.name}-${i}`, rs.metadata.labels!));
    }
    if (chance(r, 0.5)) into.analysisRuns.push(this.analysisRun(experiment, revision, 'Experiment'));
    if (chance(r, 0.6)) owner.status!.canary = { currentExperiment: experiment.metadata.name };
    return experiment;
  }

  /** Points a Rollout's status at its ReplicaSets (stable, canary / active, preview). */
  rolloutStatusFor(rollout: Rollout, sets: ReplicaSet[]): void {
    const hashes = sets.map((rs) => rs.metadata.labels!['rollouts-pod-template-hash']);
    const status = rollout.status!;
    status.stableRS = pick(this.random, hashes);
    status.currentPodHash = pick(this.random, hashes);
    if (rollout.spec?.strategy?.blueGreen) status.blueGreen = { activeSelector: pick(this.random, hashes), previewSelector: pick(this.random, hashes), postPromotionAnalysisRunStatus: { status: pick(this.random, ['Running', 'Successful', undefined]) } };
    if (rollout.spec?.strategy?.canary?.pingPong) status.canary = { ...status.canary, stablePingPong: pick(this.random, ['ping', 'pong'] as const) };
  }

  /** A namespace of `groups` groups of each shape, shuffled, with about a tenth of the objects deleted. */
  namespaceOf(groups: number): NamespaceSnapshot {
    const r = this.random;
    const s = emptySnapshot(this.namespace);
    const app = (i: number) => `app-${int(r, Math.max(1, i))}`; // shared now and then, so selectors meet more than one group
    for (let i = 0; i < groups; i++) {
      // A plain Deployment, sometimes behind a Service of its own.
      const plain = this.deployment(`plain-${i}`, { app: app(groups * 2), tier: `t${i}` });
      s.deployments.push(plain);
      this.revisions(plain, 'Deployment', s);
      if (chance(r, 0.3)) s.services.push(this.service(`plain-${i}`, { ...plain.spec!.template!.metadata!.labels! }));
      // A blue/green pair under a production Service, a preview Service now and then, EndpointSlices.
      const key = pick(r, ['version', 'color', 'slot']);
      const pairApp = `pair-${int(r, groups)}`;
      const colours = COLOURS.map((colour) => this.deployment(`pair-${i}-${colour}`, { app: pairApp, [key]: colour }));
      s.deployments.push(...colours);
      const pods = colours.flatMap((d) => this.revisions(d, 'Deployment', s)).flatMap((rs) => s.pods.filter((p) => p.metadata.ownerReferences?.[0]?.name === rs.metadata.name));
      const live = pick(r, COLOURS);
      const previous: Record<string, string> = chance(r, 0.3) ? { 'switchyard.dev/previous-selector': JSON.stringify({ app: pairApp, [key]: COLOURS.find((c) => c !== live) }) } : {};
      s.services.push(this.service(`pair-${i}`, { app: pairApp, [key]: live }, chance(r, 0.05) ? { 'argo-rollouts.argoproj.io/managed-by-rollouts': 'x' } : previous));
      if (chance(r, 0.4)) s.services.push(this.service(`pair-${i}-preview`, { app: pairApp, [key]: COLOURS.find((c) => c !== live)! }));
      if (chance(r, 0.7)) s.endpointSlices.push(this.endpointSlice(`pair-${i}`, pods.filter(() => chance(r, 0.6))));
      // A replica canary: stable and canary Deployments under one Service.
      const canaryApp = `canary-${int(r, groups)}`;
      const stable = this.deployment(`canary-${i}-stable`, { app: canaryApp, track: 'stable' });
      const canary = chance(r, 0.5) ? this.deployment(`canary-${i}-canary`, { app: canaryApp, track: 'canary' }) : this.deployment(`canary-${i}-canary`, { app: canaryApp, track: 'next' }, { 'switchyard.dev/canary-share': String(int(r, 50)) });
      s.deployments.push(stable, canary);
      this.revisions(stable, 'Deployment', s);
      this.revisions(canary, 'Deployment', s);
      s.services.push(this.service(`canary-${i}`, chance(r, 0.1) ? {} : { app: canaryApp }));
      // A Rollout with its ReplicaSets and AnalysisRuns; now and then one that runs a Deployment (workloadRef).
      const rollout = this.rollout(`rollout-${i}`, { app: `rollout-${i}` }, chance(r, 0.15) ? pick(r, s.deployments).metadata.name : undefined);
      s.rollouts.push(rollout);
      const sets = this.revisions(rollout, 'Rollout', s);
      this.rolloutStatusFor(rollout, sets);
      for (let n = int(r, 4); n > 0; n--) s.analysisRuns.push(this.analysisRun(rollout, 1 + int(r, sets.length)));
      if (rollout.spec?.strategy?.canary && chance(r, 0.4)) s.experiments.push(this.experiment(rollout, sets.length, s));
    }
    for (const list of ['deployments', 'replicaSets', 'pods', 'services', 'endpointSlices', 'rollouts', 'analysisRuns', 'experiments'] as const) {
      (s[list] as unknown[]) = shuffle(r, (s[list] as unknown[]).filter(() => !chance(r, 0.1)));
    }
    return s;
  }
}

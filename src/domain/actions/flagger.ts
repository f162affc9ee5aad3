// What Switchyard's actions on a Flagger Canary (flagger.app/v1beta1) send, decided from the objects
// as they were read (Flagger v1.36's behaviour, read in its source: pkg/controller/scheduler.go,
// scheduler_hooks.go, pkg/canary, pkg/loadtester/server.go). Pure, like plans.ts:
// - suspend / resume, promote without analysis and its undo: JSON patches of the Canary's spec,
//   tested on its generation;
// - retry: a new revision of the target Deployment's pod template (an annotation), which is how
//   Flagger sees that an analysis is due;
// - the manual gates: POSTs to the Flagger load tester's gate API (/gate/open, /gate/close,
//   /rollback/open, /rollback/close) that the Canary's webhooks check, through the API server's
//   service proxy; which load tester is in flaggerGates.ts.
import type { Deployment, FlaggerCanary, FlaggerPhase } from '../model/objects';
import { Annotations } from '../release/vocabulary';
import { ANALYSING, ROLLBACK_CHECKED, canaryAnalysis, noGateMessage, skipsAnalysis, type GateAction, type ResolvedGate } from './flaggerGates';
import { ActionRefused, jsonWrite, templateAnnotationOp, type ActionPlan, type PlannedCall } from './plans';

export type CanaryAction = 'suspend' | 'resume' | 'retry' | 'skipAnalysis' | 'restoreAnalysis';

const phaseOf = (c: FlaggerCanary): FlaggerPhase | 'unknown' => c.status?.phase ?? 'unknown';

function canaryWrite(c: FlaggerCanary, path: '/spec/suspend' | '/spec/skipAnalysis', value: boolean) {
  return jsonWrite('canaries', c, [{ op: 'add', path, value }]);
}

/** Where traffic is, for summaries: "at 20% canary". */
function where(c: FlaggerCanary): string {
  const w = c.status?.canaryWeight;
  return w ? `at ${w}% canary` : 'all on the primary';
}

/**
 * `target`: the Canary's target Deployment read fresh (Retry writes it). `force` lets Retry start
 * over while an analysis runs.
 */
export function planCanaryAction(c: FlaggerCanary, action: CanaryAction, options: { now: Date; target?: Deployment; force?: boolean }): ActionPlan {
  const name = c.metadata.name;
  const phase = phaseOf(c);
  switch (action) {
    case 'suspend':
      if (c.spec?.suspend) return { title: `Suspend "${name}"`, summary: '', writes: [], noop: `Canary "${name}" is already suspended.` };
      return {
        title: `Suspend "${name}"`,
        // scheduler.go: a suspended Canary is skipped before anything else, analysis and rollback included.
        summary: `Flagger stops acting on Canary "${name}" (phase ${phase}): no analysis step, no promotion, no rollback, and new revisions wait. Traffic stays where it is (${where(c)}) until resumed.`,
        writes: [canaryWrite(c, '/spec/suspend', true)],
      };
    case 'resume':
      if (!c.spec?.suspend) return { title: `Resume "${name}"`, summary: '', writes: [], noop: `Canary "${name}" is not suspended: nothing to resume.` };
      return { title: `Resume "${name}"`, summary: `Flagger goes on with Canary "${name}" from where it stopped (phase ${phase}, ${where(c)}).`, writes: [canaryWrite(c, '/spec/suspend', false)] };
    case 'retry':
      return planRetry(c, options);
    case 'skipAnalysis': {
      const title = `Promote "${name}" without analysis (skipAnalysis)`;
      if (!canaryAnalysis(c)) return { title, summary: '', writes: [], noop: `Canary "${name}" has no analysis: Flagger already promotes every revision without one.` };
      if (c.spec?.skipAnalysis) return { title, summary: '', writes: [], noop: `Canary "${name}" already skips its analysis (spec.skipAnalysis is true).` };
      const now = ANALYSING.includes(phase as FlaggerPhase)
        ? `At its next check Flagger copies the canary's template to "${c.spec?.targetRef?.name}-primary" and sends all traffic to it`
        : `No revision is being analysed now (phase ${phase}): the next one is promoted at once`;
      return {
        movesTraffic: true,
        title,
        // scheduler.go shouldSkipAnalysis: only a progress deadline still rolls back.
        summary: `Sets spec.skipAnalysis: true. Flagger skips the metric checks, every webhook (load tests, gates, rollback hooks) and the traffic steps. ${now}. The flag stays until set back (Restore Analysis): until then every new revision is promoted unchecked.`,
        writes: [canaryWrite(c, '/spec/skipAnalysis', true)],
      };
    }
    case 'restoreAnalysis': {
      const title = `Restore the analysis of "${name}" (skipAnalysis: false)`;
      if (!c.spec?.skipAnalysis) return { title, summary: '', writes: [], noop: `Canary "${name}" does not skip its analysis.` };
      return { title, summary: `Sets spec.skipAnalysis back to false: the next revision of "${c.spec?.targetRef?.name}" is analysed again (metrics, webhooks, traffic steps).`, writes: [canaryWrite(c, '/spec/skipAnalysis', false)] };
    }
  }
}

function planRetry(c: FlaggerCanary, options: { now: Date; target?: Deployment; force?: boolean }): ActionPlan {
  const name = c.metadata.name;
  const phase = phaseOf(c);
  const ref = c.spec?.targetRef;
  if (!ref) throw new ActionRefused(`Canary "${name}" has no spec.targetRef: there is nothing to analyse.`);
  if ((ref.kind ?? 'Deployment') !== 'Deployment') throw new ActionRefused(`Canary "${name}" targets ${ref.kind} "${ref.name}": Retry changes Deployments only.`);
  const d = options.target;
  if (!d || d.metadata.name !== ref.name) throw new ActionRefused(`Deployment "${ref.name}" (the target of Canary "${name}") was not found.`);
  if (c.spec?.suspend) throw new ActionRefused(`Canary "${name}" is suspended: Flagger would not look at a new revision. Resume it first.`);
  if (phase === 'Initializing' || phase === 'unknown') throw new ActionRefused(`Canary "${name}" is not initialised yet (phase ${phase}): Flagger has not taken "${ref.name}" over.`);
  let forced = '';
  if (ANALYSING.includes(phase as FlaggerPhase)) {
    const what = `Canary "${name}" is analysing a revision now (phase ${phase}, ${where(c)}): a new one makes Flagger start over from the first step`;
    if (!options.force) throw new ActionRefused(`${what}. Wait for the analysis to end, or force it.`, { forcible: true });
    forced = ` FORCED while ${phase}: the running analysis starts over.`;
  }
  const skip = skipsAnalysis(c) ? ' Careful: spec.skipAnalysis is true, so Flagger promotes it without analysis.' : '';
  return {
    title: `Retry "${name}" (new analysis)`,
    // pkg/canary DeploymentController.HasTargetChanged: a new pod-template hash is a new revision.
    summary: `Sets the annotation ${Annotations.RetriedAt} on the pod template of "${ref.name}": Flagger sees a new revision (phase ${phase}) and runs the whole analysis again from the first step, on new canary pods.${skip}${forced}`,
    writes: [jsonWrite('deployments', d, [templateAnnotationOp(d, Annotations.RetriedAt, options.now.toISOString())])],
  };
}

// ---- the load tester's gates ------------------------------------------------------------------

const GATE_PATHS: Record<GateAction, string> = { approve: '/gate/open', halt: '/gate/close', openRollback: '/rollback/open', closeRollback: '/rollback/close' };

/** The path of the API server's service proxy to a call's Service (scheme and port as the proxy spells them). */
export function proxyPath(call: Pick<PlannedCall, 'namespace' | 'service' | 'port' | 'scheme' | 'path'>): string {
  const target = `${call.scheme === 'https' ? 'https:' : ''}${encodeURIComponent(call.service)}${call.port ? `:${encodeURIComponent(call.port)}` : ''}`;
  return `/api/v1/namespaces/${encodeURIComponent(call.namespace)}/services/${target}/proxy${call.path}`;
}

/**
 * Opens or closes the gate of a Canary on each load tester its gate webhooks check (once per load
 * tester: the gate is one per Canary there, named NAME.NAMESPACE, the rollback gate
 * rollback.NAME.NAMESPACE). The body is the webhook payload, as the load tester reads it.
 */
export function planGate(c: FlaggerCanary, action: GateAction, gates: readonly ResolvedGate[], options: { force?: boolean } = {}): ActionPlan {
  const name = c.metadata.name;
  const namespace = c.metadata.namespace ?? 'default';
  const phase = phaseOf(c);
  const kind = action === 'approve' || action === 'halt' ? 'confirm' : 'rollback';
  if (!gates.length) throw new ActionRefused(noGateMessage(c, kind, []));
  const calls = new Map<string, PlannedCall>();
  for (const g of gates) {
    const call: PlannedCall = { namespace: g.service.namespace, service: g.service.name, port: g.service.port, scheme: g.address.scheme, path: `${g.base}${GATE_PATHS[action]}`, body: { name, namespace }, what: `webhook "${g.webhook.name}" (${g.type})` };
    const key = proxyPath(call);
    const known = calls.get(key);
    calls.set(key, known ? { ...known, what: `${known.what}, ${call.what}` } : call);
  }
  const testers = [...new Set([...calls.values()].map((x) => `${x.namespace}/${x.service}`))].join(', ');
  const types = new Set(gates.map((g) => g.type));
  const interval = canaryAnalysis(c)?.interval ?? '1m';
  const base = { calls: [...calls.values()], writes: [] };
  switch (action) {
    case 'approve': {
      // scheduler_hooks.go: confirm-rollout holds the start (phase Waiting), confirm-promotion the promotion (WaitingPromotion), confirm-traffic-increase each step.
      const next =
        phase === 'Waiting' && types.has('confirm-rollout') ? 'the analysis starts'
          : phase === 'WaitingPromotion' && types.has('confirm-promotion') ? `the canary's template is promoted to "${c.spec?.targetRef?.name}-primary" and traffic moves to it`
            : types.has('confirm-traffic-increase') && phase === 'Progressing' ? 'traffic moves to the next step'
              : `each gated step passes (phase ${phase}: none waits now)`;
      return { ...base, movesTraffic: true, title: `Approve "${name}" (open its gate)`, summary: `Opens the gate of Canary "${name}" on load tester ${testers}: at Flagger's next check (every ${interval}) ${next}. The gate stays open until closed, so later revisions pass it too: Halt closes it.` };
    }
    case 'halt':
      return { ...base, title: `Halt "${name}" (close its gate)`, summary: `Closes the gate of Canary "${name}" on load tester ${testers}: Flagger stops at the next gated step (${[...types].join(', ')}) and waits there until approved.` };
    case 'openRollback': {
      let forced = '';
      if (!ROLLBACK_CHECKED.includes(phase as FlaggerPhase)) {
        const what = `Canary "${name}" is not being analysed (phase ${phase}): an open rollback gate rolls back its next release as soon as that starts`;
        if (!options.force) throw new ActionRefused(`${what}. Open it when a release is under way, or force it.`, { forcible: true });
        forced = ` FORCED while ${phase}.`;
      }
      // scheduler.go advanceCanary: a rollback hook that answers 200 makes Flagger roll back at once.
      return { ...base, movesTraffic: true, title: `Roll back "${name}" (open its rollback gate)`, summary: `Opens the rollback gate of Canary "${name}" on load tester ${testers}: at Flagger's next check (every ${interval}) all traffic goes back to the primary, the canary scales to 0 and the phase becomes Failed. The gate stays open until closed: close it before the next release, or Flagger rolls that back too.${forced}` };
    }
    case 'closeRollback':
      return { ...base, title: `Close the rollback gate of "${name}"`, summary: `Closes the rollback gate of Canary "${name}" on load tester ${testers}: Flagger's rollback hooks stop asking for a rollback.` };
  }
}

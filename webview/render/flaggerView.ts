// The Flagger section of the rollout details panel: the phase in the one status vocabulary, the
// canary weight against maxWeight with its steps (or the iterations), failed checks against the
// threshold, the Promoted condition's message, suspend, the gate that holds it, the time left by
// Flagger's formula, and the analysis spec (metrics with their ranges and templates, webhooks). Pure.
import type { WorkloadView } from '../../src/domain/model/workloads';
import type { EventView } from '../../src/domain/model/events';
import { flaggerPosition, gatesText, metricText, timeLeftText, trafficGateHold, type FlaggerView } from '../../src/domain/model/flagger';
import { releaseState, stateText } from '../../src/domain/release/state';
import { html, type Html } from './html';

/** The weight against maxWeight: the bar is maxWeight wide, each step a tick. */
function weightBar(f: FlaggerView): Html {
  const width = 400;
  const x = (w: number) => Math.round((Math.min(w, f.maxWeight) / f.maxWeight) * width * 10) / 10;
  return html`<div class="traffic"><div class="traffic-row"><span class="traffic-label">weight</span><svg class="bar" viewBox="0 0 ${width} 14" width="100%" height="14" preserveAspectRatio="none" role="img" aria-label="canary weight ${f.weight} of maxWeight ${f.maxWeight}"><rect class="stable" x="0" y="0" width="${width}" height="14"></rect><rect class="canary" x="0" y="0" width="${x(f.weight)}" height="14"></rect>${f.steps.map((w) => html`<rect class="tick" x="${Math.max(0, x(w) - 1)}" y="0" width="1" height="14"></rect>`)}</svg><span class="traffic-value">${f.weight}/${f.maxWeight}</span></div></div>`;
}

/**
 * The gate of the phase. Waiting and WaitingPromotion are Flagger's word that a gate holds it; a
 * confirm-traffic-increase gate holds a Progressing step with no status at all, only an event each
 * interval (trafficGateHold): held when the events say so, else what it checks, not that it holds.
 */
function heldLine(w: WorkloadView, f: FlaggerView, now: number, events: readonly EventView[]): Html {
  if (f.phase === 'Progressing') {
    const hold = trafficGateHold(w, events, now);
    if (hold) return html`<p class="warn" role="status">Held by gate ${hold.hook} (confirm-traffic-increase): Flagger's event at ${new Date(Date.parse(hold.last)).toISOString().slice(11, 19)} UTC says the next step waits for approval.</p>`;
    return html`<p class="muted">Each step waits for ${gatesText(f.gates)} to answer 200; Flagger tells a held step only in its events, not in the Canary's status.</p>`;
  }
  return html`<p class="warn" role="status">Held by ${gatesText(f.gates)}: Flagger goes on when it answers 200.</p>`;
}

/** `events`: the workload's events as the panel has them (Flagger's word for a held traffic step). */
export function flaggerSection(w: WorkloadView, now: number, events: readonly EventView[] = []): Html | undefined {
  const f = w.flagger;
  if (!f) return undefined;
  const state = releaseState(w);
  const primary = w.revisions.find((r) => r.roles.includes('primary'));
  const canary = w.revisions.find((r) => r.roles.includes('canary'));
  const rev = (label: string, name: string, r: typeof primary) => html`<li>${label} <code>${name}</code>: ${r ? html`revision ${r.revision} · ${r.ready}/${r.desired} ready · ${r.images.map((i) => html`<code>${i}</code> `)}` : html`<span class="muted">no pods</span>`}</li>`;
  return html`<section aria-labelledby="h-flagger"><h2 id="h-flagger">Flagger analysis <span class="badge badge-state-${state.state}" title="Flagger's phase: ${f.phase ?? 'none yet'}">${stateText(state)}</span>${f.suspended ? html` <span class="badge badge-paused" title="spec.suspend: Flagger skips this Canary">suspended</span>` : ''}${f.skipAnalysis ? html` <span class="badge badge-paused" title="spec.skipAnalysis: promoted without analysis">skipAnalysis</span>` : ''}</h2>
${w.strategy === 'flagger-canary' ? weightBar(f) : ''}
<dl class="counts"><div><dt>${w.strategy === 'flagger-canary' ? 'step' : 'iteration'}</dt><dd>${w.strategy === 'flagger-canary' ? `${f.step}/${f.steps.length}` : `${f.iterations}/${f.iterationsTotal ?? '?'}`}</dd></div><div><dt>failed checks</dt><dd class="${f.failedChecks ? 'warn' : ''}">${f.failedChecks}/${f.threshold}</dd></div><div><dt>interval</dt><dd>${f.interval}</dd></div></dl>
<p class="muted">${flaggerPosition(w.strategy, f)}${f.provider ? ` · provider ${f.provider}` : ' · Flagger\'s default provider'}${f.lastTransitionTime ? ` · last status change ${f.lastTransitionTime}` : ''}</p>
${f.promoted?.message ? html`<p class="message">Promoted (${f.promoted.status}): ${f.promoted.message}</p>` : ''}
${f.gates.length ? heldLine(w, f, now, events) : ''}
${f.estimate ? html`<p class="times" title="${f.estimate.formula}">Time left: ${timeLeftText(f.estimate, now)}.</p>` : ''}
<ul class="flagger-deployments">${rev('primary', f.primary, primary)}${rev('canary', f.target, canary)}</ul>
${f.metrics.length ? html`<h3>Metrics</h3><ul class="flagger-metrics">${f.metrics.map((m) => html`<li>${metricText(m)}${m.template?.query ? html`<pre class="query">${m.template.query}</pre>` : m.query ? html`<pre class="query">${m.query}</pre>` : ''}</li>`)}</ul>` : html`<p class="muted">${f.hasAnalysis ? 'No metrics: only the webhooks decide.' : 'No analysis: Flagger promotes without one.'}</p>`}
${f.webhooks.length ? html`<h3>Webhooks</h3><ul class="flagger-webhooks">${f.webhooks.map((h) => html`<li><code>${h.name}</code> · ${h.type}${h.gate ? ' (gate)' : ''} · <code>${h.url}</code></li>`)}</ul>` : ''}
</section>`;
}

// Renders the rollout details panel from its state, as keyed sections of HTML: the webview swaps
// only the sections whose markup changed. Pure, so tests check markup and the benchmark times it.
import type { AnalysisRunView, ColourView, ExperimentView, PodState, RevisionView, WorkloadView } from '../../src/domain/model/workloads';
import { renderMeasurementChart, renderSamplesChart, renderTimelineChart, renderTrafficBars } from './charts';
import { attr, html, type Html } from './html';
import { actionSpec, revisionAction, workloadActions, type ActionButton, type ActionId } from '../../src/domain/actions/catalogue';
import { conditionText, limitReached, nextMeasurementAt } from '../../src/domain/model/analysis';
import { countdownText, elapsedText } from '../../src/domain/release/clock';
import { whyStopped } from '../../src/domain/release/stopped';
import { releaseVerdict, workloadTimes } from '../../src/domain/release/verdict';
import { STRATEGY_NAMES } from '../../src/domain/release/vocabulary';
import type { Section } from './sections';
import { metricsSection } from './signalsView';
import { flaggerSection } from './flaggerView';
import type { RolloutPanelState } from '../../src/domain/panels/state';
import { age, clockTime, disconnectedText, scaleDownText } from '../../src/domain/model/age';
import { eventTiming } from '../../src/domain/model/events';
import type { LogPart } from '../../src/domain/panels/logs';



export const POD_STATES: PodState[] = ['ready', 'starting', 'pending', 'failed', 'terminating', 'succeeded'];


function badge(kind: string, text: string, title?: string): Html {
  return html`<span class="badge badge-${kind.toLowerCase()}" title="${title ?? ''}">${text}</span>`;
}

function button(b: ActionButton, busy: boolean, suggested = false): Html {
  const key = b.revision === undefined ? `action:${b.action}` : `action:${b.action}:${b.revision}`;
  return html`<vscode-button data-action="${b.action}" data-key="${key}"${b.revision === undefined ? '' : html` data-revision="${b.revision}"`}${suggested ? html` data-suggested="true"` : ''} title="${suggested ? `Suggested by the verdict. ${b.title}` : b.title}" ${attr('secondary', !b.primary && !suggested)} ${attr('disabled', !!b.disabled || busy)}>${b.label}</vscode-button>`;
}

/** The panel action of a catalogue action, when the panel offers it for this workload now (one button per action: the toolbar's). */
function offeredAction(s: RolloutPanelState, w: WorkloadView, id: ActionId | undefined): ActionButton | undefined {
  if (s.readOnly || !id) return undefined;
  const action = actionSpec(id).panel?.action;
  return workloadActions(w).find((b) => b.action === action && !b.disabled);
}

/**
 * The verdict line and the release's times. Its suggested action is the toolbar's button, marked
 * (one button per action). A section of its own under the header: it is what changes every second
 * while a countdown runs.
 */
function verdictSection(s: RolloutPanelState, w: WorkloadView): Html {
  const v = releaseVerdict(w, s.now, s.metrics?.comparison);
  const suggested = offeredAction(s, w, v.action);
  return html`<section class="verdict-section" aria-label="Verdict"><p class="verdict verdict-${v.attention}" role="status"><span class="verdict-text">${v.text}</span>${suggested ? html` <span class="muted">(${suggested.label} above)</span>` : ''}</p>
${timesLine(s, w)}</section>`;
}

/** The release's clocks, relative to the state's `now`: how long it has run, the pause, the deadline, the next measurement. */
function timesLine(s: RolloutPanelState, w: WorkloadView): Html {
  const t = workloadTimes(w, s.now);
  const parts: string[] = [];
  // How long a release has run means something while it runs: not once it is done or stopped.
  const running = w.health !== 'Healthy' && !w.stop;
  if (t.runningMs !== undefined && running) parts.push(`release running ${elapsedText(t.runningMs)}`);
  if (t.readyForMs !== undefined && running) parts.push(`new pods all ready for ${elapsedText(t.readyForMs)}`);
  if (t.pauseMs !== undefined) parts.push(t.pauseMs > 0 ? `${w.clock?.pause?.ends === 'promote' ? 'auto-promotion' : 'pause ends'} in ${countdownText(t.pauseMs)}` : `${w.clock?.pause?.ends === 'promote' ? 'auto-promotion' : 'pause end'} due now`);
  if (t.deadlineMs !== undefined) parts.push(t.deadlineMs >= 0 ? `progress deadline in ${countdownText(t.deadlineMs)}${w.clock?.deadline?.abort ? ' (then aborts)' : ''}` : `progress deadline passed ${elapsedText(-t.deadlineMs)} ago`);
  if (t.next) parts.push(`next measurement of ${t.next.metric} in ${countdownText(t.next.inMs)}`);
  return parts.length ? html`<p class="times">${parts.join(' · ')}</p>` : html``;
}

// ---- sections ------------------------------------------------------------------------------

function header(s: RolloutPanelState, w: WorkloadView): Html {
  // While disconnected every action would be decided on stale data: shown, but off.
  const busy = s.activity?.state === 'running' || !!s.disconnected;
  const actions = s.readOnly ? [] : workloadActions(w);
  const suggested = offeredAction(s, w, releaseVerdict(w, s.now, s.metrics?.comparison).action)?.action;
  const r = w.replicas;
  return html`<header class="head">
<div class="title-row"><h1>${w.name}</h1>${badge(w.health, w.health)}${w.paused && w.health !== 'Paused' ? badge('paused', 'paused') : ''}</div>
<p class="meta">${STRATEGY_NAMES[w.strategy]} · ${w.kind} · namespace ${w.namespace}${s.context ? html` · context ${s.context}` : ''}</p>
<p class="description">${w.description}</p>
${w.message ? html`<p class="message">${w.message}</p>` : ''}
${(w.managedBy ?? []).map((m) => html`<p class="managed-by" title="Its controller reverts what Switchyard changes on these fields">${m.text}</p>`)}
${(s.drift ?? []).map((line) => html`<p class="drift" title="Switchyard: Show Drift from the Workspace Manifest shows the diff and both ways to resolve it">Drift: ${line}</p>`)}
<dl class="counts"><div><dt>desired</dt><dd>${r.desired}</dd></div><div><dt>updated</dt><dd>${r.updated}</dd></div><div><dt>ready</dt><dd>${r.ready}</dd></div><div><dt>available</dt><dd>${r.available}</dd></div><div><dt>current</dt><dd>${r.current}</dd></div></dl>
${actions.length ? html`<div class="actions" role="toolbar" aria-label="Actions on ${w.name}">${actions.map((b) => button(b, busy, b.action === suggested))}</div>` : ''}
${s.readOnly ? html`<p class="muted">Read-only mode (switchyard.readOnly): actions are off.</p>` : ''}
</header>`;
}

/** The banner of a panel whose cluster cannot be reached. */
function disconnectedBanner(s: RolloutPanelState): Html | undefined {
  const d = s.disconnected;
  if (!d) return undefined;
  return html`<p class="warn disconnected" role="alert"><strong>${disconnectedText(d)[0].toUpperCase()}${disconnectedText(d).slice(1)}, data may be stale.</strong> Actions are off until the cluster answers again; reconnecting by itself.${d.problem ? html` <span class="muted">${d.problem}</span>` : ''}</p>`;
}

function activity(s: RolloutPanelState): Html {
  const a = s.activity;
  return html`<p class="activity ${a ? `activity-${a.state}` : ''}" role="status">${a ? a.message : ''}${a?.at !== undefined ? html` <span class="muted">· ${a.state === 'running' ? 'since' : 'at'} ${clockTime(a.at)}</span>` : ''}</p>`;
}

function environment(title: string, live: boolean, body: Html, ready: boolean, readyText: string): Html {
  return html`<article class="env ${live ? 'env-live' : 'env-idle'}" aria-label="${title}${live ? ' (live)' : ''}">
<h3>${title} ${live ? badge('live', 'live', 'receives production traffic') : badge('idle', 'idle')}</h3>
${body}
<p class="${ready ? 'ok' : 'warn'}">${readyText}</p>
</article>`;
}

function colourEnvironment(w: WorkloadView, c: ColourView): Html {
  const bg = w.blueGreen!;
  const live = c.colour === bg.live;
  const ready = c.replicas.desired > 0 && c.replicas.available >= c.replicas.desired;
  const body = html`<p class="colour colour-${c.colour}"><span class="swatch" aria-hidden="true"></span>${c.deployment}</p>
<p>${c.images.map((i) => html`<code>${i}</code> `)}</p>
<p>${c.replicas.available}/${c.replicas.desired} available · ${c.health}</p>
<p class="muted">${live ? `Service "${bg.service}" selects ${bg.selectorKey}=${c.colour}` : bg.previewService ? `Preview Service "${bg.previewService}"` : 'no Service sends traffic here'} · ${c.liveEndpoints} ready endpoint(s) of "${bg.service}"</p>`;
  return environment(c.colour, live, body, ready, ready ? 'ready to serve' : c.replicas.desired === 0 ? 'scaled to 0' : 'not ready');
}

function revisionEnvironment(role: 'active' | 'preview', r: RevisionView | undefined): Html {
  if (!r) return html`<article class="env env-idle"><h3>${role}</h3><p class="muted">none</p></article>`;
  const ready = r.desired > 0 && r.available >= r.desired;
  const body = html`<p>revision ${r.revision} · <code>${r.replicaSet}</code></p><p>${r.images.map((i) => html`<code>${i}</code> `)}</p><p>${r.available}/${r.desired} available</p>`;
  return environment(role === 'active' ? 'active' : 'preview', role === 'active', body, ready, ready ? 'ready' : 'not ready');
}

function blueGreenSection(w: WorkloadView): Html | undefined {
  if (w.blueGreen) {
    const bg = w.blueGreen;
    const mixed = bg.endpointsColours.length > 1;
    return html`<section aria-labelledby="h-envs"><h2 id="h-envs">Environments</h2>
<div class="envs">${bg.colours.map((c) => colourEnvironment(w, c))}</div>
${mixed ? html`<p class="warn">The Service's endpoints hold pods of ${bg.endpointsColours.join(' and ')}: traffic reaches both right now.</p>` : ''}
</section>`;
  }
  if (w.strategy === 'argo-bluegreen') {
    const active = w.revisions.find((r) => r.roles.includes('active'));
    const preview = w.revisions.find((r) => r.roles.includes('preview'));
    return html`<section aria-labelledby="h-envs"><h2 id="h-envs">Environments</h2><div class="envs">${revisionEnvironment('active', active)}${revisionEnvironment('preview', preview)}</div></section>`;
  }
  return undefined;
}

function canarySection(w: WorkloadView): Html | undefined {
  const c = w.canary;
  if (!c) return undefined;
  // The bars are in percent; weights out of a maxTrafficWeight are scaled to it and said as they are.
  const max = c.maxWeight ?? 100;
  const percent = (weight: number) => Math.round((weight * 10000) / max) / 100;
  const desired = c.requestedShare ?? percent(c.setWeight);
  const state = c.aborted ? badge('degraded', 'aborted') : c.pauseReasons.length || w.paused ? badge('paused', `paused${c.pauseReasons.length ? `: ${c.pauseReasons.join(', ')}` : ''}`) : '';
  return html`<section aria-labelledby="h-traffic"><h2 id="h-traffic">Traffic ${state}</h2>
${renderTrafficBars(desired, percent(c.actualWeight))}
<p class="muted">${c.trafficRouting ? `Split by ${c.trafficRouting} weights.` : w.kind === 'ReplicaCanary' ? 'Split by ready pods behind one Service.' : 'No traffic routing: the weight is approximated by pods.'}
${c.maxWeight ? html` Weights are out of ${c.maxWeight} (maxTrafficWeight): ${c.setWeight} desired, ${c.actualWeight} actual.` : ''}
${c.pingPong ? html` Ping Service <code>${c.pingPong.pingService}</code> (${c.pingPong.stable === 'ping' ? 'stable' : 'canary'}), pong Service <code>${c.pingPong.pongService}</code> (${c.pingPong.stable === 'pong' ? 'stable' : 'canary'}).` : ''}
${c.canaryImages.length ? html` Canary <code>${c.canaryImages.join(', ')}</code>.` : ''}${c.stableImages.length ? html` Stable <code>${c.stableImages.join(', ')}</code>.` : ''}</p>
${c.traffic?.length ? html`<p class="traffic-by-image">Actual traffic, from the Service's ${c.traffic[0].from}: ${c.traffic.map((t) => html`<span class="traffic-share"><code>${t.images.join(', ')}</code> ${t.percent}% <span class="muted">(${t.roles.join(', ')}, ${t.serving})</span></span> `)}</p>` : ''}
${c.steps.length ? steps(w) : ''}
</section>`;
}

function steps(w: WorkloadView): Html {
  const c = w.canary!;
  const total = c.stepCount ?? c.steps.length;
  const position = c.step === undefined ? '' : c.step >= total ? 'all steps done' : `step ${c.step}/${total}`;
  return html`<h3>Steps <span class="muted">${position}</span></h3>
<ol class="steps">${c.steps.map((s) => {
    const cls = s.current ? 'current' : s.done ? 'done' : 'pending';
    const marker = s.current ? (w.paused ? '❚❚' : '▶') : s.done ? '✓' : '';
    return html`<li class="step step-${cls}"${s.current ? html` aria-current="step"` : ''}><span class="marker" aria-hidden="true">${marker}</span><span class="step-index">${s.index}</span> <span class="step-text">${s.text}</span><span class="visually-hidden"> (${cls})</span></li>`;
  })}</ol>`;
}

function progressSection(s: RolloutPanelState, w: WorkloadView): Html | undefined {
  const parts: Html[] = [];
  if (w.kind === 'Deployment' || w.kind === 'Rollout') {
    const r = w.replicas;
    // Samples are taken while the panel is open: one sample is no history yet.
    parts.push(
      s.samples.length > 1
        ? html`<h3>Pods over time</h3>${renderSamplesChart(s.samples, s.now)}`
        : html`<h3>Pods over time</h3><p class="muted">No change since this panel opened: ${r.updated} updated, ${r.available} available, ${Math.max(0, r.current - r.updated)} old of ${r.desired}. Changes are drawn here as they happen.</p>`,
    );
  }
  const plan = s.rolling;
  if (plan) {
    parts.push(html`<h3>Rolling update <span class="muted">maxSurge ${plan.maxSurge} · maxUnavailable ${plan.maxUnavailable}</span></h3>`);
    if (plan.timeline) {
      const t = plan.timeline;
      parts.push(html`<p>${t.stepCount} steps: at most ${t.highestTotal} pods (+${t.peakExtraPercent}%), capacity never below ${t.lowestAvailable}/${t.replicas} (${t.lowestCapacityPercent}%).</p>${renderTimelineChart(t)}`);
    } else parts.push(html`<p class="warn">${plan.problem ?? ''}</p>`);
  }
  return parts.length ? html`<section aria-labelledby="h-progress"><h2 id="h-progress">Progress</h2>${parts}</section>` : undefined;
}

export function podCounts(pods: { state: PodState }[]): Record<PodState, number> {
  const counts = Object.fromEntries(POD_STATES.map((s) => [s, 0])) as Record<PodState, number>;
  for (const p of pods) counts[p.state]++;
  return counts;
}

/** A revision's pods as squares; a click on one shows its log (the Logs section), `selected` is outlined. */
export function podGrid(r: RevisionView, of = `revision ${r.revision}`, selected?: string): Html {
  if (!r.pods.length) return html`<p class="muted">no pods</p>`;
  const counts = podCounts(r.pods);
  const summary = POD_STATES.filter((st) => counts[st]).map((st) => `${counts[st]} ${st}`).join(', ');
  return html`<div class="pods" role="img" tabindex="0" aria-label="Pods of ${of}: ${summary}" title="${summary}">${r.pods.map(
    (p) => html`<span class="pod pod-${p.state}${p.name === selected ? ' pod-selected' : ''}" data-pod="${p.name}" title="${p.name} · ${p.state}${p.problem ? ` (${p.problem.reason}${p.problem.message ? `: ${p.problem.message}` : ''})` : p.reason ? ` (${p.reason})` : ''}${p.restarts ? ` · ${p.restarts} restarts` : ''}${p.node ? ` · ${p.node}` : ''}"></span>`,
  )}</div>`;
}

function revisionsSection(s: RolloutPanelState, w: WorkloadView): Html {
  const busy = s.activity?.state === 'running' || !!s.disconnected;
  return html`<section aria-labelledby="h-revisions"><h2 id="h-revisions">Revisions</h2>
${w.revisions.length ? '' : html`<p class="muted">No ReplicaSets yet.</p>`}
${w.revisions.map((r) => {
    const rollback = s.readOnly ? undefined : revisionAction(w, r);
    return html`<article class="revision" aria-label="Revision ${r.revision}">
<div class="revision-head"><h3>revision ${r.revision}</h3>${r.roles.map((role) => badge(`role-${role}`, role))}<span class="muted">${r.replicaSet} · ${r.ready}/${r.desired} ready${r.endpoints !== undefined ? ` · ${r.endpoints} serving` : ''}${r.createdAt ? ` · ${age(r.createdAt, s.now)} old` : ''}${r.scaleDownDeadline ? ` · ${scaleDownText(r.scaleDownDeadline, s.now)}` : ''}</span>${rollback ? button(rollback, busy) : ''}</div>
<p class="images">${r.images.map((i) => html`<code>${i}</code> `)}${r.changeCause ? html`<span class="muted">· ${r.changeCause}</span>` : ''}</p>
${r.problem ? html`<p class="warn problem" role="status"><strong>${r.problem.reason}</strong>${r.problem.container ? html` · container <code>${r.problem.container}</code>${r.problem.image ? html` (<code>${r.problem.image}</code>)` : ''}` : ''}${r.problem.message ? html`: ${r.problem.message}` : ''}</p>` : ''}
${podGrid(r, undefined, s.logs?.pod)}
</article>`;
  })}
${w.kind === 'BlueGreen' ? html`<p class="muted">Rolling back a blue/green pair is switching back.</p>` : w.kind === 'ReplicaCanary' ? html`<p class="muted">Rolling back a replica canary is aborting it.</p>` : ''}
<ul class="legend">${POD_STATES.map((st) => html`<li><span class="pod pod-${st}" aria-hidden="true"></span>${st}</li>`)}</ul>
</section>`;
}

const VERDICT: Record<string, string> = { Successful: 'healthy', Failed: 'degraded', Error: 'degraded', Inconclusive: 'paused', Running: 'progressing', Pending: 'unknown' };

function run(r: AnalysisRunView, now: number): Html {
  return html`<article class="run" aria-label="Analysis run ${r.name}">
<div class="revision-head"><h3>${r.name}</h3>${badge(VERDICT[r.phase] ?? 'unknown', r.phase)}<span class="muted">${r.experiment ? `experiment ${r.experiment} · ` : ''}${r.revision !== undefined ? `revision ${r.revision}` : ''}${r.createdAt ? ` · ${age(r.createdAt, now)} ago` : ''}</span></div>
${r.message ? html`<p class="message">${r.message}</p>` : ''}
<table class="metrics"><thead><tr><th scope="col">metric</th><th scope="col">verdict</th><th scope="col">✓ / ✗ / ? / error</th><th scope="col">measured (newest last)</th><th scope="col">judged by</th></tr></thead>
<tbody>${r.metrics.map((m) => {
    const limit = limitReached(m);
    const next = nextMeasurementAt(r, m);
    return html`<tr><td>${m.name}</td><td>${badge(VERDICT[m.phase] ?? 'unknown', m.phase)}</td><td>${m.successful} / ${m.failed} / ${m.inconclusive} / ${m.error}</td><td class="values">${m.values.map((v, i) => html`<code class="${i === m.values.length - 1 ? 'latest' : ''}">${v}</code> `)}${m.message ? html`<div class="muted">${m.message}</div>` : ''}${next !== undefined ? html`<div class="muted">next in ${countdownText(next - now)}</div>` : ''}</td><td>${conditionText(m) ? html`<code>${conditionText(m)}</code>` : html`<span class="muted">no condition</span>`}<div class="${limit ? 'warn' : 'muted'}">${limit ?? `failureLimit ${m.failureLimit} · inconclusiveLimit ${m.inconclusiveLimit} · consecutiveErrorLimit ${m.consecutiveErrorLimit}`}</div>${m.count !== undefined ? html`<div class="muted">${m.measured} of ${m.count} measurements${m.interval ? `, every ${m.interval}` : ''}</div>` : m.interval ? html`<div class="muted">every ${m.interval}</div>` : ''}</td></tr>`;
  })}</tbody></table>
${charts(r)}
</article>`;
}

/** Each metric's measured values over time against its condition (metrics with numbers only). */
function charts(r: AnalysisRunView): Html | undefined {
  const figures = r.metrics.map(renderMeasurementChart).filter((f): f is Html => f !== undefined);
  return figures.length ? html`<div class="measurement-charts">${figures}</div>` : undefined;
}

function experiment(e: ExperimentView, now: number): Html {
  return html`<article class="run" aria-label="Experiment ${e.name}">
<div class="revision-head"><h3>${e.name}</h3>${badge(VERDICT[e.phase] ?? 'unknown', e.phase)}${e.current ? badge('progressing', 'current step') : ''}<span class="muted">${e.revision !== undefined ? `revision ${e.revision}` : ''}${e.duration ? ` · runs ${e.duration}` : ''}${e.createdAt ? ` · ${age(e.createdAt, now)} ago` : ''}</span></div>
${e.message ? html`<p class="message">${e.message}</p>` : ''}
${e.templates.map(
    (t) => html`<h4>${t.name} <span class="muted">${t.status ?? ''}${t.replicaSet ? ` · ${t.replicaSet.replicaSet} · ${t.replicaSet.ready}/${t.replicas} ready` : ' · no ReplicaSet yet'}</span></h4>
${t.replicaSet ? html`<p class="images">${t.replicaSet.images.map((i) => html`<code>${i}</code> `)}</p>${podGrid(t.replicaSet, `experiment template ${t.name}`)}` : ''}`,
  )}
${e.analysisRuns.length ? html`<p class="muted">Analysis: ${e.analysisRuns.join(', ')} (below).</p>` : ''}
</article>`;
}

function experimentsSection(s: RolloutPanelState, w: WorkloadView): Html | undefined {
  if (!w.experiments?.length) return undefined;
  return html`<section aria-labelledby="h-experiments"><h2 id="h-experiments">Experiments</h2>${w.experiments.map((e) => experiment(e, s.now))}</section>`;
}

function analysisSection(s: RolloutPanelState, w: WorkloadView): Html | undefined {
  if (w.kind !== 'Rollout') return undefined;
  return html`<section aria-labelledby="h-analysis"><h2 id="h-analysis">Analysis</h2>${w.analysisRuns.length ? w.analysisRuns.map((r) => run(r, s.now)) : html`<p class="muted">No analysis runs.</p>`}</section>`;
}

/** Why the release stopped: the evidence, what to do, and the buttons for it the panel offers. */
function whySection(s: RolloutPanelState, w: WorkloadView): Html | undefined {
  const why = whyStopped(w);
  if (!why) return undefined;
  // Each action once: the toolbar's button when the panel has one, else where to find it.
  const actions = s.readOnly ? [] : why.actions.map((id) => {
    const b = offeredAction(s, w, id);
    return b ? `${b.label} (the button above).` : `${actionSpec(id).title} from the tree's menu or the command palette.`;
  });
  return html`<section aria-labelledby="h-why" class="why"><h2 id="h-why">Why it stopped</h2>
<p class="warn"><strong>${why.summary}</strong></p>
<ul class="evidence">${why.details.map((d) => html`<li>${d}</li>`)}</ul>
${why.advice.length || actions.length ? html`<h3>What to do</h3><ul class="advice">${why.advice.map((a) => html`<li>${a}</li>`)}${actions.map((a) => html`<li>${a}</li>`)}</ul>` : ''}
</section>`;
}

function eventsSection(s: RolloutPanelState): Html | undefined {
  const ev = s.events;
  if (!ev) return undefined;
  const warnings = ev.rows.filter((r) => r.warning).length;
  const head = html`<h2 id="h-events">Events ${warnings ? badge('degraded', `${warnings} warning${warnings === 1 ? '' : 's'}`) : ''}${ev.total > ev.rows.length ? html` <span class="muted">${ev.rows.length} of ${ev.total}, warnings first</span>` : ''}</h2>`;
  let body: Html;
  if (ev.problem && !ev.rows.length) body = html`<p class="warn">${ev.problem}</p>`;
  else if (!ev.synced) body = html`<p class="muted">Watching events…</p>`;
  else if (!ev.rows.length) body = html`<p class="muted">No events about its objects (the API server keeps events for an hour by default).</p>`;
  else
    body = html`<ol class="events">${ev.rows.map(
      (e) => html`<li class="event ${e.warning ? 'event-warning' : 'event-normal'}">${e.warning ? badge('degraded', 'Warning') : ''}<strong class="event-reason">${e.reason}</strong> <span class="event-object">${e.object.kind} <code>${e.object.name}</code></span> <span class="event-message">${e.message}</span> <span class="muted event-timing" title="first ${e.first}, last ${e.last}${e.source ? ` · ${e.source}` : ''}">${eventTiming(e, s.now)}</span></li>`,
    )}</ol>`;
  return html`<section aria-labelledby="h-events">${head}${body}</section>`;
}

function logPart(title: string, part: LogPart | undefined): Html {
  if (!part) return html`<h3>${title}</h3><p class="muted">Reading…</p>`;
  if ('problem' in part) return html`<h3>${title}</h3><p class="warn log-problem">${part.problem}</p>`;
  return html`<h3>${title}</h3>${part.text ? html`<pre class="log" tabindex="0">${part.text.replace(/\n$/, '')}</pre>` : html`<p class="muted">empty</p>`}`;
}

/** The chosen or failing pod's last lines (and its previous run's after a restart), with Follow. */
function logsSection(s: RolloutPanelState): Html | undefined {
  if (!s.events) return undefined; // shown with the live sections of a visible panel only
  const l = s.logs;
  const hint = html`<p class="muted">Click a pod's square (under Revisions) to read its log.</p>`;
  if (!l) return html`<section aria-labelledby="h-logs"><h2 id="h-logs">Logs</h2><p class="muted">No pod is failing.</p>${hint}</section>`;
  const follow = html`<vscode-button data-follow-pod="${l.pod}"${l.container ? html` data-follow-container="${l.container}"` : ''} secondary title="Follow this container's log in an editor as lines arrive">Follow</vscode-button>`;
  return html`<section aria-labelledby="h-logs"><h2 id="h-logs">Logs <span class="muted">pod <code>${l.pod}</code>${l.container ? html` · container <code>${l.container}</code>` : ''} · ${l.why === 'failing' ? 'failing' : 'chosen'}${l.restarts ? ` · ${l.restarts} restarts` : ''}</span></h2>
<div class="actions">${follow}</div>
${logPart(`last ${l.lines} lines`, l.current)}
${l.previous ? logPart(`previous run (before the last restart), last ${l.lines} lines`, l.previous) : ''}
${hint}</section>`;
}

function messageOnly(s: RolloutPanelState): Section[] {
  const title = s.status === 'loading' ? 'Loading…' : s.status === 'noCluster' ? 'No cluster' : 'Not found';
  const text = s.problem ?? (s.status === 'loading' ? (s.disconnected ? `Cannot list namespace ${s.target.namespace}: ${disconnectedText(s.disconnected)}; retrying by itself. ${s.disconnected.problem ?? ''}` : `Watching namespace ${s.target.namespace}…`) : '');
  return [{ key: 'message', html: html`<section class="empty"><h1>${s.target.name}</h1><p>${title}</p><p class="muted">${text}</p></section>`.value }];
}

/** The panel's sections, in order; absent ones are left out (the webview removes them). */
export function renderRollout(s: RolloutPanelState): Section[] {
  const w = s.workload;
  if (!w || s.status !== 'live') return messageOnly(s);
  const sections: [string, Html | undefined][] = [
    ['connection', disconnectedBanner(s)],
    ['header', header(s, w)],
    ['verdict', verdictSection(s, w)],
    ['activity', activity(s)],
    ['why', whySection(s, w)],
    ['environments', blueGreenSection(w)],
    ['canary', canarySection(w)],
    ['flagger', flaggerSection(w, s.now, s.events?.rows)],
    ['metrics', metricsSection(s.metrics)],
    ['progress', progressSection(s, w)],
    ['revisions', revisionsSection(s, w)],
    ['experiments', experimentsSection(s, w)],
    ['analysis', analysisSection(s, w)],
    ['events', eventsSection(s)],
    ['logs', logsSection(s)],
  ];
  return sections.filter((x): x is [string, Html] => !!x[1]).map(([key, h]) => ({ key, html: h.value }));
}


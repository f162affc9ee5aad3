// Golden-signal sampling for one rollout details panel: only while the panel is visible, never
// faster than every REFRESH_SECONDS (the next refresh is timed from the end of the last, so a slow
// Prometheus is never asked twice at once), stopped and its query aborted when the panel is hidden
// or closed. The queries and their meaning are in src/kube/goldenSignals.ts and domain/metrics.
import type * as vscode from 'vscode';
// Types only: the metrics code ships in the lazily loaded kube bundle, not in extension.js.
import type { GoldenSignals } from '../../domain/metrics/signals';
import type { PrometheusSource } from '../../kube/prometheusSource';
import type { WorkloadView } from '../../domain/model/workloads';
import type { ClusterController } from '../session/controller';
import { loadKube, type KubeModule } from '../lazy';

/** What sampling needs of the Kubernetes bundle (the benchmark hands it in directly). */
export type SignalsModule = Pick<KubeModule['signals'], 'signalsSource' | 'sampleGoldenSignals' | 'REFRESH_SECONDS'>;

export class PanelSignals implements vscode.Disposable {
  private timer?: ReturnType<typeof setTimeout>;
  private inFlight?: AbortController;
  private running = false;
  /** The Prometheus found at the first refresh (settings, Secret, templates), kept while the panel samples, until an error. */
  private source?: Promise<PrometheusSource | GoldenSignals>;
  latest?: GoldenSignals;

  constructor(
    private readonly controller: Pick<ClusterController, 'current' | 'settings' | 'log'>,
    /** The panel's workload now, if the store has it. */
    private readonly workload: () => WorkloadView | undefined,
    /** Told each new result (the panel posts it, the tree shows its line). */
    private readonly onResult: (signals: GoldenSignals | undefined) => void,
    /** Loaded on the first refresh, not with the panel (which may open with no cluster). */
    private readonly kube: () => SignalsModule = () => loadKube().signals,
  ) {}

  /** Samples now and then every REFRESH_SECONDS, until stop(); with no cluster session yet, waits for restart(). */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.tick();
  }

  /** Hidden or closed: no timer, the query in flight aborted. */
  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    // its look-up may be the query aborted here; a setting may change while hidden
    this.source = undefined;
    this.inFlight?.abort();
    this.inFlight = undefined;
  }

  /** A setting or the session changed: sample again at once if running. */
  restart(): void {
    if (!this.running) return;
    this.stop();
    this.start();
  }

  /** The workload just appeared in the store (the panel opened before its namespace listed): sample now rather than at the next tick. */
  firstSample(): void {
    if (!this.running || this.latest || this.inFlight) return;
    clearTimeout(this.timer);
    void this.tick();
  }

  private async tick(): Promise<void> {
    const session = this.controller.current();
    const w = this.workload();
    if (session && w) {
      const abort = new AbortController();
      this.inFlight = abort;
      try {
        const kube = this.kube();
        const settings = this.controller.settings;
        // Found once (the setting, the Secret it names, else the namespace's templates), not per refresh.
        this.source ??= kube.signalsSource(session.client, { 'prometheus.url': settings.get('prometheus.url'), 'prometheus.auth': settings.get('prometheus.auth') }, w.namespace, abort.signal);
        const source = await this.source;
        const result = 'status' in source ? source : await kube.sampleGoldenSignals(source.client, w, settings.get('metrics.queries'), { signal: abort.signal, from: source.from });
        // A failure may be fixed by then (a Secret created, a template applied, a Prometheus started): look again next time.
        if (result.status === 'error' || result.status === 'notConfigured') this.source = undefined;
        if (abort.signal.aborted) return;
        this.latest = result;
        this.onResult(result);
      } catch (e) {
        // sampleGoldenSignals answers every failure as a result; this is a bug, logged, never thrown into the host.
        this.controller.log.error(`golden signals of ${w.id}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      } finally {
        if (this.inFlight === abort) this.inFlight = undefined;
      }
    }
    // A session means the kube bundle is loaded; without one there is nothing to sample until restart().
    if (this.running && session) this.timer = setTimeout(() => void this.tick(), this.kube().REFRESH_SECONDS * 1000);
  }

  dispose(): void {
    this.stop();
    this.onResult(undefined);
  }
}

// `Switchyard: New Strategy…`: a quick-pick flow over the pure generators. Every answer can also
// come as an argument, so tests and other extensions call it without prompts.
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import type { GeneratedManifests } from '../../domain/manifests/generate';
import { loadAuthoring } from '../lazy';
import { notify, showingExpected } from '../lifecycle';
import { separatedYaml } from '../../domain/manifests/insert';
import {
  DEFAULTS,
  STRATEGIES,
  STRATEGY_INFO,
  parseIntOrPercent,
  validateApp,
  type AppOptions,
  type ArgoTrafficRouting,
  type ScaffoldRequest,
  type StrategyId,
} from '../../domain/manifests/options';
import { planReplicaCanary, describeReplicaCanary } from '../../domain/strategy/replicaCanary';

export type ScaffoldTarget = 'newDocument' | 'cursor';

export interface NewStrategyArgs extends Partial<Omit<ScaffoldRequest, 'app'>> {
  app?: Partial<AppOptions>;
  target?: ScaffoldTarget;
}

export function registerScaffold(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand(Commands.NewStrategy, (args?: NewStrategyArgs) => newStrategy(args)));
}

/** Runs the flow; returns the editor that shows the result, or undefined when the user cancels. */
export async function newStrategy(args: NewStrategyArgs = {}): Promise<vscode.TextEditor | undefined> {
  const request = await completeRequest(args);
  if (!request) return undefined;
  const { generate, ScaffoldError } = loadAuthoring();
  const result: GeneratedManifests | undefined = await showingExpected([ScaffoldError], () => generate(request));
  if (!result) return undefined;
  const target = args.target ?? (await askTarget());
  if (!target) return undefined;
  const editor = await insertManifests(result.yaml, target);
  if (result.notes.length) void vscode.window.showInformationMessage(result.notes.join(' '));
  return editor;
}

async function insertManifests(yaml: string, target: ScaffoldTarget): Promise<vscode.TextEditor> {
  const active = vscode.window.activeTextEditor;
  if (target === 'cursor' && active) {
    const doc = active.document;
    const at = active.selection.active;
    const before = doc.getText(new vscode.Range(new vscode.Position(0, 0), at));
    const after = doc.getText(new vscode.Range(at, doc.lineAt(doc.lineCount - 1).range.end));
    await active.edit((b) => b.replace(active.selection, separatedYaml(yaml, before, after)));
    return active;
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: yaml });
  return vscode.window.showTextDocument(doc);
}

async function askTarget(): Promise<ScaffoldTarget | undefined> {
  const active = vscode.window.activeTextEditor;
  if (!active || active.document.languageId !== 'yaml') return 'newDocument';
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'Open as a new document', target: 'newDocument' as const },
      { label: `Insert at the cursor in ${vscode.workspace.asRelativePath(active.document.uri)}`, target: 'cursor' as const },
    ],
    { title: 'New Strategy: where should the manifests go?' },
  );
  return pick?.target;
}

const TITLE = 'Switchyard: New Strategy';

async function completeRequest(args: NewStrategyArgs): Promise<ScaffoldRequest | undefined> {
  const strategy = args.strategy ?? (await pickStrategy());
  if (!strategy) return undefined;
  if (!STRATEGIES.includes(strategy)) {
    void notify.error(`unknown strategy "${strategy}". Choose one of ${STRATEGIES.join(', ')}.`);
    return undefined;
  }
  // A caller that passes answers gets defaults for the rest, never a prompt.
  if (args.app) return { ...args, strategy, app: { ...DEFAULTS.app, ...args.app } };
  const app = await completeApp({}, strategy);
  if (!app) return undefined;
  return completeStrategyOptions({ ...args, strategy, app }, args);
}

async function pickStrategy(): Promise<StrategyId | undefined> {
  const pick = await vscode.window.showQuickPick(
    STRATEGIES.map((id) => ({ label: STRATEGY_INFO[id].label, detail: STRATEGY_INFO[id].detail, id })),
    { title: TITLE, placeHolder: 'Which release strategy?', matchOnDetail: true },
  );
  return pick?.id;
}

async function ask(prompt: string, value: string, validate: (v: string) => string | undefined): Promise<string | undefined> {
  return vscode.window.showInputBox({ title: TITLE, prompt, value, validateInput: validate, ignoreFocusOut: true });
}

async function completeApp(given: Partial<AppOptions>, strategy: StrategyId): Promise<AppOptions | undefined> {
  const d = DEFAULTS.app;
  const check = (patch: Partial<AppOptions>) => validateApp({ ...d, ...patch })[0];
  const app = given.app ?? (await ask('App name (used for every object name and the app label)', d.app, (v) => check({ app: v })));
  if (app === undefined) return undefined;
  const image = given.image ?? (await ask('Container image with an explicit tag', d.image.replace('web', app), (v) => check({ image: v })));
  if (image === undefined) return undefined;
  const port = given.port ?? toInt(await ask('Container port', String(d.port), (v) => check({ port: Number(v) })));
  if (port === undefined) return undefined;
  const minReplicas = strategy === 'canary-replicas' ? 10 : d.replicas;
  const replicas = given.replicas ?? toInt(await ask(strategy === 'canary-replicas' ? 'Total pods (stable + canary)' : 'Replicas', String(minReplicas), (v) => check({ replicas: Number(v) })));
  if (replicas === undefined) return undefined;
  const namespace = given.namespace ?? (await ask('Namespace (empty: none, taken from the context when applied)', '', (v) => (v ? check({ namespace: v }) : undefined)));
  if (namespace === undefined) return undefined;
  return { app, image, port, replicas, ...(namespace ? { namespace } : {}) };
}

function toInt(v: string | undefined): number | undefined {
  return v === undefined ? undefined : Number(v);
}

function numberCheck(min: number, max: number) {
  return (v: string) => (Number.isFinite(Number(v)) && Number(v) >= min && Number(v) <= max && v.trim() !== '' ? undefined : `A number from ${min} to ${max}.`);
}

async function yesNo(placeHolder: string, defaultYes: boolean): Promise<boolean | undefined> {
  const items = defaultYes ? ['Yes', 'No'] : ['No', 'Yes'];
  const pick = await vscode.window.showQuickPick(items, { title: TITLE, placeHolder });
  return pick === undefined ? undefined : pick === 'Yes';
}

/** Asks only what the caller did not give; returns undefined when cancelled. */
async function completeStrategyOptions(r: ScaffoldRequest, args: NewStrategyArgs): Promise<ScaffoldRequest | undefined> {
  switch (r.strategy) {
    case 'rolling': {
      if (args.rolling) return r;
      const intOrPercent = (v: string) => (parseIntOrPercent(v) === undefined ? 'A whole number or a percentage such as 25%.' : undefined);
      const maxSurge = await ask('maxSurge: extra pods allowed during the update (number or %)', String(DEFAULTS.rolling.maxSurge), intOrPercent);
      if (maxSurge === undefined) return undefined;
      const maxUnavailable = await ask('maxUnavailable: pods that may be missing during the update (number or %)', String(DEFAULTS.rolling.maxUnavailable), (v) =>
        intOrPercent(v) ?? (/^0%?$/.test(maxSurge.trim()) && /^0%?$/.test(v.trim()) ? 'maxSurge and maxUnavailable cannot both be 0.' : undefined),
      );
      if (maxUnavailable === undefined) return undefined;
      return { ...r, rolling: { maxSurge: parseIntOrPercent(maxSurge)!, maxUnavailable: parseIntOrPercent(maxUnavailable)! } };
    }
    case 'bluegreen': {
      if (args.blueGreen) return r;
      const pick = await vscode.window.showQuickPick(['blue', 'green'], { title: TITLE, placeHolder: 'Which colour serves production now?' });
      return pick ? { ...r, blueGreen: { liveColor: pick as 'blue' | 'green' } } : undefined;
    }
    case 'canary-replicas': {
      if (args.replicaCanary) return r;
      const share = await ask('Canary share of traffic in percent', String(DEFAULTS.replicaCanary.canaryPercent), (v) => {
        const n = Number(v);
        if (!(n > 0 && n < 100)) return 'Above 0 and below 100.';
        return r.app.replicas < 2 ? 'A replica canary needs at least 2 pods.' : undefined;
      });
      if (share === undefined) return undefined;
      const plan = planReplicaCanary(Number(share), Math.max(2, r.app.replicas));
      if (!plan.exact) {
        const go = await vscode.window.showWarningMessage(describeReplicaCanary(plan), { modal: true }, 'Scaffold anyway');
        if (go !== 'Scaffold anyway') return undefined;
      }
      return { ...r, replicaCanary: { canaryPercent: Number(share) } };
    }
    case 'canary-istio':
    case 'canary-nginx':
    case 'canary-gateway': {
      if (args.weightedCanary) return r;
      const weight = await ask('Canary weight in percent', String(DEFAULTS.weightedCanary.canaryWeight), numberCheck(0, 100));
      if (weight === undefined) return undefined;
      const host = await ask('Host name', `${r.app.app}.example.com`, (v) => (/^[a-z0-9.-]+$/.test(v) ? undefined : 'A DNS host name.'));
      if (host === undefined) return undefined;
      return { ...r, weightedCanary: { canaryWeight: Number(weight), host } };
    }
    case 'argo-canary': {
      if (args.argoCanary) return r;
      const weights = await ask('setWeight steps, in order (comma separated percentages)', DEFAULTS.argoCanary.weights.join(', '), (v) => {
        const ws = v.split(',').map((s) => Number(s.trim()));
        if (ws.some((w) => !(w > 0 && w <= 100))) return 'Each weight from 1 to 100.';
        return ws.some((w, i) => i > 0 && w < ws[i - 1]) ? 'Weights must not go down.' : undefined;
      });
      if (weights === undefined) return undefined;
      const ws = weights.split(',').map((s) => Number(s.trim()));
      const pauses = await ask('Pause after each step in seconds (0 = wait for a promote)', ws.map((_, i) => DEFAULTS.argoCanary.pauseSeconds[i] ?? 60).join(', '), (v) =>
        v.split(',').some((s) => !(Number(s.trim()) >= 0)) ? 'Whole seconds, 0 or more.' : undefined,
      );
      if (pauses === undefined) return undefined;
      const analysis = await yesNo('Run a success-rate / latency analysis during the rollout?', true);
      if (analysis === undefined) return undefined;
      const routing = await vscode.window.showQuickPick(
        [
          { label: 'None', description: 'weights approximated by replica counts', value: 'none' as ArgoTrafficRouting },
          { label: 'Istio', description: 'VirtualService weights', value: 'istio' as ArgoTrafficRouting },
          { label: 'NGINX Ingress', description: 'canary Ingress annotations', value: 'nginx' as ArgoTrafficRouting },
        ],
        { title: TITLE, placeHolder: 'Traffic routing' },
      );
      if (!routing) return undefined;
      return { ...r, argoCanary: { weights: ws, pauseSeconds: pauses.split(',').map((s) => Number(s.trim())), analysis, trafficRouting: routing.value } };
    }
    case 'argo-bluegreen': {
      if (args.argoBlueGreen) return r;
      const auto = await yesNo('Promote automatically once the new version is ready?', false);
      if (auto === undefined) return undefined;
      const analysis = await yesNo('Run an analysis before promotion?', true);
      if (analysis === undefined) return undefined;
      const delay = await ask('scaleDownDelaySeconds: keep the old version this long after the switch', String(DEFAULTS.argoBlueGreen.scaleDownDelaySeconds), numberCheck(0, 86400));
      if (delay === undefined) return undefined;
      return { ...r, argoBlueGreen: { autoPromotionEnabled: auto, prePromotionAnalysis: analysis, scaleDownDelaySeconds: Number(delay) } };
    }
    case 'analysis-template': {
      if (args.analysis) return r;
      const address = await ask('Prometheus address', DEFAULTS.analysis.prometheusAddress, (v) => (/^https?:\/\//.test(v) ? undefined : 'An http(s) URL.'));
      if (address === undefined) return undefined;
      return { ...r, analysis: { prometheusAddress: address } };
    }
  }
}

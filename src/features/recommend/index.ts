// `Switchyard: Which Strategy Fits?`: asks the release checklist, explains the answer, offers to scaffold it.
import * as vscode from 'vscode';
import { Commands } from '../../commands';
import { STRATEGY_INFO } from '../../domain/manifests/options';
import { recommendStrategy, type Recommendation, type ReleaseAnswers } from '../../domain/strategy/recommend';

export function registerRecommend(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand(Commands.RecommendStrategy, (answers?: ReleaseAnswers) => recommend(answers)));
}

async function choose<T>(placeHolder: string, items: { label: string; value: T; detail?: string }[]): Promise<T | undefined> {
  return (await vscode.window.showQuickPick(items, { title: 'Which Strategy Fits?', placeHolder, ignoreFocusOut: true }))?.value;
}

const yesNo = [
  { label: 'Yes', value: true },
  { label: 'No', value: false },
];

async function askAnswers(): Promise<ReleaseAnswers | undefined> {
  const tolerableFailure = await choose('How much failure may users see during a release?', [
    { label: 'None', value: 'none' as const, detail: 'No user may hit the new version before it is proven.' },
    { label: 'A few users, briefly', value: 'few-users' as const, detail: 'A small share may see errors while the release is watched.' },
    { label: 'Brief errors are acceptable', value: 'brief-errors' as const },
  ]);
  if (!tolerableFailure) return undefined;
  const rollbackSpeed = await choose('How fast must a rollback take effect?', [
    { label: 'Within seconds', value: 'seconds' as const },
    { label: 'Minutes are fine', value: 'minutes' as const },
  ]);
  if (!rollbackSpeed) return undefined;
  const canSplitTraffic = await choose('Can traffic be split by weight (Istio, NGINX Ingress, Gateway API)?', yesNo);
  if (canSplitTraffic === undefined) return undefined;
  const canObserveMetrics = await choose('Can you observe error rate and latency per version?', yesNo);
  if (canObserveMetrics === undefined) return undefined;
  const spareCapacity = await choose('Is there spare capacity for two full environments during the release?', yesNo);
  if (spareCapacity === undefined) return undefined;
  const databaseChange = await choose('Does the release change the database?', [
    { label: 'No', value: 'none' as const },
    { label: 'Yes, backward compatible', value: 'backward-compatible' as const, detail: 'The old version still works against the new schema.' },
    { label: 'Yes, breaking', value: 'breaking' as const, detail: 'The old version fails against the new schema.' },
  ]);
  if (!databaseChange) return undefined;
  const argoRollouts = await choose('Is Argo Rollouts installed (or may it be)?', yesNo);
  if (argoRollouts === undefined) return undefined;
  return { tolerableFailure, rollbackSpeed, canSplitTraffic, canObserveMetrics, spareCapacity, databaseChange, argoRollouts };
}

async function recommend(given?: ReleaseAnswers): Promise<Recommendation | undefined> {
  const answers = given ?? (await askAnswers());
  if (!answers) return undefined;
  const result = recommendStrategy(answers);
  const label = STRATEGY_INFO[result.strategy].label;
  const detail = [...result.reasons, ...result.cautions.map((c) => `Caution: ${c}`)].join('\n\n');
  if (!given) {
    const scaffold = `Scaffold ${label}`;
    const pick = await vscode.window.showInformationMessage(`Recommended: ${label}`, { modal: true, detail }, scaffold);
    if (pick === scaffold) await vscode.commands.executeCommand(Commands.NewStrategy, { strategy: result.strategy });
  }
  return result;
}

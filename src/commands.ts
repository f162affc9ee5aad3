// Every command id the extension contributes, as typed constants (package.json must match: a unit
// test checks both ways).
export const Commands = {
  NewStrategy: 'switchyard.strategy.new',
  RecommendStrategy: 'switchyard.strategy.recommend',
  ConvertToRollout: 'switchyard.deployment.convertToRollout',
  ShowTimeline: 'switchyard.timeline.show',
  RefreshTree: 'switchyard.tree.refresh',
  SelectContext: 'switchyard.context.select',
  SelectNamespace: 'switchyard.namespace.select',
  SwitchTraffic: 'switchyard.bluegreen.switch',
  SwitchBack: 'switchyard.bluegreen.switchBack',
  RollbackDeployment: 'switchyard.deployment.rollback',
  PauseDeployment: 'switchyard.deployment.pause',
  ResumeDeployment: 'switchyard.deployment.resume',
  RestartDeployment: 'switchyard.deployment.restart',
  ScaleDeployment: 'switchyard.deployment.scale',
  SetCanaryShare: 'switchyard.canary.setShare',
  PromoteCanary: 'switchyard.canary.promote',
  AbortCanary: 'switchyard.canary.abort',
  PromoteRollout: 'switchyard.rollout.promote',
  PromoteFullRollout: 'switchyard.rollout.promoteFull',
  AbortRollout: 'switchyard.rollout.abort',
  RetryRollout: 'switchyard.rollout.retry',
  UndoRollout: 'switchyard.rollout.undo',
  RestartRollout: 'switchyard.rollout.restart',
  PauseRollout: 'switchyard.rollout.pause',
  ResumeRollout: 'switchyard.rollout.resume',
  ApplyManifest: 'switchyard.manifest.apply',
  OpenRolloutDetails: 'switchyard.panel.open',
  OpenDesigner: 'switchyard.designer.open',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

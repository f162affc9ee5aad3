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
  /** Test and tooling hook: the view model of the watched namespaces, as the tree renders it. */
  GetWorkloads: 'switchyard.workloads.get',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

// Every command id the extension contributes, as typed constants (package.json must match: a unit
// test checks both ways).
export const Commands = {
  NewStrategy: 'switchyard.strategy.new',
  RecommendStrategy: 'switchyard.strategy.recommend',
  ConvertToRollout: 'switchyard.deployment.convertToRollout',
  ShowTimeline: 'switchyard.timeline.show',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

// What Evaluate now needs from the lazily loaded Kubernetes bundle, in one namespace.
export { evaluateMetric, prometheusForMetric } from './analysisEvaluate';
export { ArgsError, analysisUsages, prometheusMetrics, resolveArgs, usagesOf } from '../domain/analysis/measure';
export { evaluationReport, queryOffsetInFile } from '../domain/analysis/evaluation';

// Entry of the lazily loaded Kubernetes bundle (dist/kube.js): the Kubernetes client and the
// store are required on first use, never in activate().
export { ClusterSession, type ArgoAvailability, type SessionOptions } from './session';
export { ClusterError } from './errors';
export { KubeClient, kubeconfigFiles, kubeconfigFingerprint, loadKubeConfig } from './client';
export { podLog, podLogPart, podContainers, followPodLog, type PodLogOptions, type PodContainer } from './logs';
export { podEvents } from './podEvents';
export * as actions from './actionKit';
export { PrometheusClient, PrometheusError, parsePrometheusAddress } from './prometheus';
export { prometheusFromSettings, prometheusForNamespace } from './prometheusSource';
export * as release from './releaseKit';
export * as analysis from './analysisKit';
export * as signals from './goldenSignals';
export * as gitpath from './gitpath';

// What the tree and the details panel need of the release verdict (domain/release), from the lazily
// loaded Kubernetes bundle: they use it only once a cluster session shows workloads, so it stays
// out of the always-loaded extension.js.
export { releaseVerdict, tickAfterMs } from '../domain/release/verdict';
export { attentionLevel } from '../domain/release/attention';
export { whyStopped } from '../domain/release/stopped';
export { refreshAfterMs } from '../domain/panels/rollout';

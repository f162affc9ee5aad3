// Entry of the lazily loaded authoring bundle (dist/authoring.js): YAML parsing, generators, lint
// rules and field docs. Required on the first hover, diagnostic or scaffold, not in activate().
export { parseYamlFile, documentAt, getIn, rangeForPath, valueRangeForPath } from './domain/yaml/documents';
export { prometheusMetrics } from './domain/analysis/measure';
export { lintFile, Rule } from './domain/lint/rules';
export { BUILD_TOOL_FILE_NAMES, buildToolFile, builtImageNames, fileFacts, lintContextOf } from './domain/lint/context';
export { hoverAt } from './domain/docs/hover';
export { generate, ScaffoldError } from './domain/manifests/generate';
export { convertDeploymentToFlaggerCanary, convertDeploymentToRollout, deploymentsIn, ConvertError } from './domain/manifests/convert';
export { defaultForm, designPreview, fieldsOf, parseDesign, withStrategy } from './domain/manifests/form';
export { indexManifests, findObjects, objectsIn, fieldValue, manifestObjects } from './domain/manifests/locate';
export { workloadDrift, workloadsOfObjects, changedManifestObjects, liveValueEdits, driftSides } from './domain/manifests/drift';
export { planFieldEdit, planImageEdit, planReplicasEdit, planSelectorEdit, describeSetter, describeField, parseFieldPath, EditError } from './domain/gitops/gitpath';

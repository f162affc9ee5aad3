// Validates objects against the published schemas (kubernetes-models: Kubernetes core/apps/
// networking, Argo Rollouts, Istio, Gateway API; Flagger's own CRD, test/fixtures/flagger/crd.yaml,
// through ajv). Unknown kinds fail, so a new generator output cannot slip through unvalidated.
import Ajv from 'ajv';
import { parseAllDocuments } from 'yaml';
import { fixtureText } from './fixtures';
import { Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { AnalysisTemplate, Rollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1';
import { DestinationRule, VirtualService } from '@kubernetes-models/istio/networking.istio.io/v1';
import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1';

type Validatable = { validate(): void };

/**
 * A model for a kind of Flagger's CRD file: the openAPIV3Schema of its served version, checked by
 * ajv. The `x-kubernetes-*` keywords are the API server's, not JSON Schema's: ajv is told to pass them.
 */
function flaggerModel(kind: string): new (data: any) => Validatable {
  const crds = parseAllDocuments(fixtureText('flagger/crd.yaml')).map((d) => d.toJS());
  const crd = crds.find((c) => c?.kind === 'CustomResourceDefinition' && c.spec.names.kind === kind);
  if (!crd) throw new Error(`Flagger's CRD file has no ${kind}`);
  const version = crd.spec.versions.find((v: any) => v.name === 'v1beta1');
  const ajv = new Ajv({ allErrors: true, strict: false });
  // The formats the CRD uses, as the API server reads them: int32 bounds a number, `string` says nothing more.
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('string', true);
  ajv.addFormat('url', true);
  ajv.addFormat('date-time', true);
  const check = ajv.compile(version.schema.openAPIV3Schema);
  return class {
    constructor(private readonly data: any) {}
    validate(): void {
      if (!check(this.data)) throw new Error(ajv.errorsText(check.errors));
    }
  };
}
const MODELS: Record<string, new (data: any) => Validatable> = {
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'networking.k8s.io/v1/Ingress': Ingress,
  'argoproj.io/v1alpha1/Rollout': Rollout,
  'argoproj.io/v1alpha1/AnalysisTemplate': AnalysisTemplate,
  'networking.istio.io/v1/VirtualService': VirtualService,
  'networking.istio.io/v1/DestinationRule': DestinationRule,
  'gateway.networking.k8s.io/v1/HTTPRoute': HTTPRoute,
  'flagger.app/v1beta1/Canary': flaggerModel('Canary'),
  'flagger.app/v1beta1/MetricTemplate': flaggerModel('MetricTemplate'),
};

/** Throws with the kind, name and schema message when `object` is not valid. */
export function validateObject(object: any): void {
  const key = `${object?.apiVersion}/${object?.kind}`;
  const Model = MODELS[key];
  if (!Model) throw new Error(`No schema registered for ${key}`);
  try {
    new Model(object).validate();
  } catch (e) {
    throw new Error(`${key} ${object?.metadata?.name}: ${(e as Error).message}`);
  }
}

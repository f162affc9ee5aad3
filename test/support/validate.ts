// Validates objects against the published schemas (kubernetes-models: Kubernetes core/apps/
// networking, Argo Rollouts, Istio, Gateway API). Unknown kinds fail, so a new generator output
// cannot slip through unvalidated.
import { Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { AnalysisTemplate, Rollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1';
import { DestinationRule, VirtualService } from '@kubernetes-models/istio/networking.istio.io/v1';
import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1';

type Validatable = { validate(): void };
const MODELS: Record<string, new (data: any) => Validatable> = {
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'networking.k8s.io/v1/Ingress': Ingress,
  'argoproj.io/v1alpha1/Rollout': Rollout,
  'argoproj.io/v1alpha1/AnalysisTemplate': AnalysisTemplate,
  'networking.istio.io/v1/VirtualService': VirtualService,
  'networking.istio.io/v1/DestinationRule': DestinationRule,
  'gateway.networking.k8s.io/v1/HTTPRoute': HTTPRoute,
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

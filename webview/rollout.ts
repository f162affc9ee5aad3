// The rollout details webview: renders each state the host posts and sends button presses back.
import './elements';
import { renderRollout } from './render/rolloutView';
import type { PanelAction, RolloutPanelState } from '../src/domain/panels/state';
import type { RolloutFromWebview, RolloutPersisted } from '../src/domain/panels/protocol';
import { SectionView, connect } from './common';

const root = document.getElementById('root')!;
root.classList.add('rollout');
const view = new SectionView(root);

const webview = connect<RolloutPanelState, RolloutPersisted, RolloutFromWebview>((state) => {
  view.update(renderRollout(state));
  webview.persist({ target: state.target, samples: state.samples });
});

root.addEventListener('click', (event) => {
  const target = event.target as Element;
  const pod = target.closest<HTMLElement>('[data-pod]')?.dataset.pod;
  if (pod) return webview.post({ type: 'selectPod', pod });
  const follow = target.closest<HTMLElement>('[data-follow-pod]');
  if (follow) return webview.post({ type: 'followLogs', pod: follow.dataset.followPod!, ...(follow.dataset.followContainer ? { container: follow.dataset.followContainer } : {}) });
  const button = target.closest<HTMLElement>('[data-action]');
  if (!button || button.hasAttribute('disabled')) return;
  const revision = button.dataset.revision === undefined ? undefined : Number(button.dataset.revision);
  webview.post({ type: 'action', action: button.dataset.action as PanelAction, ...(revision === undefined ? {} : { revision }) });
});

// The strategy designer webview. The form is the webview's own while it lives (typing is never
// interrupted by an update); the host posts the preview for each change, and replaces the form
// only on a restore or when opened with arguments (a new formRevision).
import './elements';
import { withStrategy } from '../src/domain/manifests/form';
import { formShape, renderDesignerForm, renderDesignerPreview } from './render/designerView';
import type { DesignerAction, DesignerForm, DesignerPanelState } from '../src/domain/panels/state';
import type { DesignerFromWebview, DesignerPersisted } from '../src/domain/panels/protocol';
import type { StrategyId } from '../src/domain/manifests/options';
import { SectionView, connect } from './common';

const root = document.getElementById('root')!;
root.classList.add('designer');
root.innerHTML = '<div class="form-pane"></div><div class="preview-pane"></div>';
const formPane = root.querySelector<HTMLElement>('.form-pane')!;
const preview = new SectionView(root.querySelector<HTMLElement>('.preview-pane')!);

let form: DesignerForm | undefined;
let formRevision = -1;
let shape = '';
let errors: Record<string, string> = {};

function renderForm(): void {
  if (!form) return;
  const focused = document.activeElement?.closest('[data-key]')?.getAttribute('data-key');
  formPane.innerHTML = renderDesignerForm(form, errors);
  shape = formShape(form);
  if (focused) formPane.querySelector<HTMLElement>(`[data-key="${CSS.escape(focused)}"]`)?.focus();
}

/** Field problems shown in place, without touching what is typed. */
function showErrors(): void {
  formPane.querySelectorAll<HTMLElement>('[data-error-for]').forEach((el) => {
    const id = el.dataset.errorFor!;
    el.textContent = errors[id] ?? '';
    formPane.querySelector(`[data-field="${CSS.escape(id)}"]`)?.toggleAttribute('invalid', !!errors[id]);
  });
}

const webview = connect<DesignerPanelState, DesignerPersisted, DesignerFromWebview>((state) => {
  errors = state.errors;
  if (!form || state.formRevision !== formRevision) {
    form = state.form;
    formRevision = state.formRevision;
    renderForm();
  }
  showErrors();
  preview.update(renderDesignerPreview(state));
  webview.persist({ form });
});

// One change message per frame, with the form as it is then.
let scheduled = false;
function changed(): void {
  if (!form) return;
  webview.persist({ form });
  if (formShape(form) !== shape) renderForm();
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    if (form) webview.post({ type: 'change', form });
  });
}

function onInput(event: Event): void {
  const el = (event.target as Element).closest<HTMLElement & { value?: string; checked?: boolean }>('[data-field]');
  if (!el || !form) return;
  const id = el.dataset.field!;
  if (id === 'strategy') {
    if (el.value && el.value !== form.strategy) form = withStrategy(form, el.value as StrategyId);
  } else {
    const value = el.tagName === 'VSCODE-CHECKBOX' ? !!el.checked : String(el.value ?? '');
    if (form.values[id] === value) return;
    form = { ...form, values: { ...form.values, [id]: value } };
  }
  changed();
}
// `input` bubbles out of the text fields' shadow roots, after the field took the new value (a
// capturing listener would run before it and read the old one). The elements' own `change` events
// do not bubble, so those are caught while capturing; they fire once the value is set.
formPane.addEventListener('input', onInput);
formPane.addEventListener('change', onInput, true);

root.addEventListener('click', (event) => {
  const button = (event.target as Element).closest<HTMLElement>('[data-run]');
  if (!button || button.hasAttribute('disabled')) return;
  webview.post({ type: 'run', action: button.dataset.run as DesignerAction });
});

// Renders the strategy designer: the form (rebuilt only when its fields change, so typing is never
// interrupted) and the preview sections (YAML, timeline chart, canary plan, cost), patched per update.
import { STRATEGIES, STRATEGY_INFO } from '../../src/domain/manifests/options';
import { renderCanaryPlan, renderTimelineChart } from './charts';
import { fieldGroups, type FieldSpec } from '../../src/domain/manifests/form';
import { attr, html, type Html } from './html';
import type { Section } from './sections';
import type { DesignerForm, DesignerPanelState } from '../../src/domain/panels/state';

/** Identifies the form's shape: when it changes (another strategy, a field shown or hidden), the inputs are rebuilt. */
export function formShape(form: DesignerForm): string {
  return [form.strategy, ...fieldGroups(form).flatMap((g) => g.fields.map((f) => f.id))].join('|');
}

function control(f: FieldSpec, form: DesignerForm, error: string | undefined): Html {
  const id = `f-${f.id}`;
  const value = form.values[f.id];
  const common = html`id="${id}" data-field="${f.id}" data-key="field:${f.id}"`;
  if (f.kind === 'bool') {
    return html`<div class="field field-bool"><vscode-checkbox ${common} ${attr('checked', value === true)}>${f.label}</vscode-checkbox>${f.help ? html`<div class="help">${f.help}</div>` : ''}</div>`;
  }
  const label = html`<vscode-label for="${id}">${f.label}${f.optional ? html` <span class="muted">(optional)</span>` : ''}</vscode-label>`;
  const input =
    f.kind === 'select'
      ? html`<vscode-single-select ${common} value="${String(value ?? '')}">${(f.options ?? []).map((o) => html`<vscode-option value="${o.value}" ${attr('selected', o.value === value)}>${o.label}</vscode-option>`)}</vscode-single-select>`
      : html`<vscode-textfield ${common} value="${String(value ?? '')}" ${attr('invalid', !!error)}></vscode-textfield>`;
  return html`<div class="field">${label}${input}${f.help ? html`<div class="help">${f.help}</div>` : ''}<div class="field-error" data-error-for="${f.id}" role="alert">${error ?? ''}</div></div>`;
}

export function renderDesignerForm(form: DesignerForm, errors: Record<string, string>): string {
  return html`<form class="design-form" aria-label="Strategy parameters">
<div class="field"><vscode-label for="f-strategy">Strategy</vscode-label>
<vscode-single-select id="f-strategy" data-field="strategy" data-key="field:strategy" value="${form.strategy}">${STRATEGIES.map(
    (id) => html`<vscode-option value="${id}" description="${STRATEGY_INFO[id].detail}" ${attr('selected', id === form.strategy)}>${STRATEGY_INFO[id].label}</vscode-option>`,
  )}</vscode-single-select>
<div class="help">${STRATEGY_INFO[form.strategy].detail}</div></div>
${fieldGroups(form).map((g) => html`<fieldset><legend>${g.title}</legend>${g.fields.map((f) => control(f, form, errors[f.id]))}</fieldset>`)}
</form>`.value;
}

const YAML_LINE = /^(\s*)(- )?([^\s#:][^:#]*?)(:)(\s|$)(.*)$/;

/** YAML with comments, keys and document separators marked for the theme's colours. */
export function highlightYaml(yaml: string): Html {
  return html`${yaml.split('\n').map((line, i, all) => {
    const nl = i < all.length - 1 ? '\n' : '';
    if (/^\s*#/.test(line)) return html`<span class="y-comment">${line}</span>${nl}`;
    if (line === '---') return html`<span class="y-separator">${line}</span>${nl}`;
    const m = YAML_LINE.exec(line);
    if (!m) return html`${line}${nl}`;
    const [, indent, dash, key, colon, space, rest] = m;
    return html`${indent}${dash ?? ''}<span class="y-key">${key}</span>${colon}${space}<span class="y-value">${rest}</span>${nl}`;
  })}`;
}

function actions(s: DesignerPanelState): Html {
  const blocked = !!s.problem || Object.keys(s.errors).length > 0 || !s.yaml || !!s.stale;
  const busy = s.activity?.state === 'running';
  const a = s.activity;
  return html`<div class="actions" role="toolbar" aria-label="Use the manifests">
<vscode-button data-run="insert" data-key="run:insert" title="${s.insertTarget}" ${attr('disabled', blocked || busy)}>Insert into editor</vscode-button>
<vscode-button data-run="save" data-key="run:save" secondary ${attr('disabled', blocked || busy)}>Save as file…</vscode-button>
<span class="muted">${s.insertTarget}</span></div>
<p class="activity ${a ? `activity-${a.state}` : ''}" role="status">${a?.message ?? ''}</p>`;
}

function problems(s: DesignerPanelState): Html {
  const fields = Object.keys(s.errors);
  if (s.problem) return html`<p class="warn" role="alert">${s.problem}</p>`;
  const fix = `Fix ${fields.length === 1 ? 'one field' : `${fields.length} fields`}`;
  if (fields.length && s.stale) return html`<p class="warn" role="alert">${fix}: below is the last valid design, not what the form says now.</p>`;
  if (fields.length) return html`<p class="warn" role="alert">${fix} to see the manifests.</p>`;
  return html``;
}

/** The preview sections, in order. */
export function renderDesignerPreview(s: DesignerPanelState): Section[] {
  const p = s.preview;
  const out: [string, Html | undefined][] = [
    ['actions', html`${actions(s)}${problems(s)}`],
    [
      'cost',
      p &&
        html`<section aria-labelledby="h-cost"><h2 id="h-cost">Cost</h2>
<dl class="counts"><div><dt>steady</dt><dd>${p.cost.steady}</dd></div><div><dt>peak</dt><dd>${p.cost.peak}</dd></div><div><dt>extra</dt><dd>+${p.cost.extraPercent}%</dd></div><div><dt>environments</dt><dd>${p.cost.environments}</dd></div><div><dt>lowest capacity</dt><dd>${p.cost.lowestCapacityPercent}%</dd></div></dl>
<p>${p.cost.text}</p></section>`,
    ],
    ['timeline', p?.timeline && html`<section aria-labelledby="h-timeline"><h2 id="h-timeline">Rolling timeline</h2>${renderTimelineChart(p.timeline)}</section>`],
    ['plan', p?.canaryPlan && html`<section aria-labelledby="h-plan"><h2 id="h-plan">Canary plan</h2><p class="muted">${p.canaryPlan.caption ?? (p.canaryPlan.routed ? 'A router splits traffic by weight: the stable track keeps all its pods.' : 'No router: the share is canary pods over all pods.')}</p>${renderCanaryPlan(p.canaryPlan)}</section>`],
    ['notes', s.notes.length ? html`<section aria-labelledby="h-notes"><h2 id="h-notes">Notes</h2><ul>${s.notes.map((n) => html`<li>${n}</li>`)}</ul></section>` : undefined],
    ['yaml', s.yaml ? html`<section aria-labelledby="h-yaml"><h2 id="h-yaml">YAML</h2><pre class="yaml" tabindex="0" aria-label="Generated manifests"><code>${highlightYaml(s.yaml)}</code></pre></section>` : undefined],
  ];
  return out.filter((x): x is [string, Html] => !!x[1]).map(([key, h]) => ({ key, html: h.value }));
}

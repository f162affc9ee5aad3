// Switchyard's condition evaluator held to Argo Rollouts v1.9.2's own: every case of
// test/fixtures/analysis/argo-evaluate.jsonl carries the phase (and error) that Argo's
// utils/evaluate.EvaluateResult, built from its source with expr v1.15.5, gave for the same
// successCondition / failureCondition and result (test/oracle/argo-evaluate/run.sh regenerates it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { measurementVerdict } from '../../src/domain/analysis/measure';

interface Case {
  name: string;
  success: string;
  failure?: string;
  vector?: (number | string)[];
  scalar?: number | string;
  outsideSubset?: true;
  argo: { phase: string; error: string };
}

const cases: Case[] = readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'analysis', 'argo-evaluate.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const num = (x: number | string) => (x === 'NaN' ? NaN : x === '+Inf' ? Infinity : x === '-Inf' ? -Infinity : (x as number));

test('every case gets the phase Argo Rollouts gives it, or says it is not supported where that is expected', () => {
  assert.ok(cases.length > 1000, `${cases.length} cases`);
  const wrong: string[] = [];
  let agreed = 0;
  for (const c of cases) {
    const result = c.scalar !== undefined ? num(c.scalar) : c.vector!.map(num);
    const verdict = measurementVerdict({ ...(c.success ? { successCondition: c.success } : {}), ...(c.failure ? { failureCondition: c.failure } : {}) }, result);
    const nonFinite = (Array.isArray(result) ? result : [result]).some((x) => !Number.isFinite(x));
    const what = `${JSON.stringify(c.success)}${c.failure ? ` / ${JSON.stringify(c.failure)}` : ''} on ${c.name}`;
    if (verdict.phase === undefined) {
      // Go leaves int64(NaN) and int64(±Inf) to the platform: asInt of them is not guessed
      const expected = c.outsideSubset || (/asInt/.test(c.success) && nonFinite);
      if (!expected || !/^this expression is not supported: /.test(verdict.message ?? '')) wrong.push(`${what}: no verdict (${verdict.message}), Argo ${c.argo.phase}`);
    } else if (verdict.phase !== c.argo.phase) wrong.push(`${what}: ${verdict.phase} (${verdict.message ?? ''}), Argo ${c.argo.phase} (${c.argo.error})`);
    else agreed++;
  }
  assert.deepEqual(wrong, []);
  // the subset is most of what the cases ask
  assert.ok(agreed / cases.length > 0.9, `${agreed} of ${cases.length} agreed`);
});

test('the cases cover every phase, and Argo\'s errors for an empty result and a type error', () => {
  const phases = new Set(cases.map((c) => c.argo.phase));
  assert.deepEqual([...phases].sort(), ['Error', 'Failed', 'Inconclusive', 'Successful']);
  assert.match(cases.find((c) => c.success === 'result[0] < 0.05' && c.name === 'empty')!.argo.error, /index out of range/);
  assert.match(cases.find((c) => c.success === 'true or result < 1' && c.name === 'low')!.argo.error, /mismatched types \[\]float64 and int/);
});

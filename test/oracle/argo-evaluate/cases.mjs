// Conditions × results fed to Argo Rollouts v1.9.2's own EvaluateResult (run.sh, the oracle) and held
// against Switchyard's evaluator by test/unit/analysis-oracle.test.ts. Unsupported ones are listed apart.
const V = (...xs) => ({ vector: xs });
const S = (x) => ({ scalar: x });
const results = { empty: V(), low: V(0.01), high: V(0.2), nan: V('NaN'), inf: V('+Inf'), two: V(0.01, 0.6), three: V(1, 2, 3), sLow: S(0.01), sHigh: S(0.2), sNaN: S('NaN'), sInt: S(2) };
const conditions = [
  'result[0] < 0.05', 'result[0] >= 0.95', 'result[0] <= 0.05', 'result[0] == 0.01', 'result[0] != 0.01', 'result[0] > 0.1 && result[0] < 0.5',
  'len(result) == 0', 'len(result) > 0 && result[0] < 0.05', 'len(result) == 0 || result[0] < 0.05', 'len(result) > 1',
  'all(result, {# < 0.05})', 'any(result, {# > 0.5})', 'none(result, {# > 0.5})', 'one(result, {# > 0.5})', 'all(result, # < 0.5)',
  'len(filter(result, {# > 0.5})) == 1', 'count(result, {# > 0.05}) < 2', 'all(map(result, {# * 100}), {# < 10})',
  '0.01 in result', '0.5 not in result', 'result[-1] == 3', 'result[-1] > 0.1',
  'isNaN(result[0])', 'isInf(result[0])', 'isNaN(result)', 'isInf(result)', 'isNaN(result) || result < 0.05', '!isNaN(result[0]) && result[0] < 0.05',
  'asInt(result[0]) == 0', 'asFloat(result[0]) < 0.05', 'asInt("3") == 3', 'asFloat("0.25") == 0.25', 'asInt("1.5") == 1', 'asInt(result) == 2',
  'isNil(result)', 'default(result, 0) == 0', 'default(result, [0])[0] < 0.05',
  'result < 0.05', 'result >= 0.95', 'result == 2', 'result[0] < 0.05 ? true : false', 'len(result) > 0 ? result[0] < 0.05 : false',
  '1 + 2 * 3 == 7', '2 ** 3 ** 2 == 512', '-2 ** 2 == -4', '10 - 4 - 3 == 3', '7 % 3 == 1', '-7 % 3 == -1', '1 / 2 == 0.5', '1 / 0 > 1000',
  'true || false && false', 'not false and false', 'not (false and false)', '!(1 > 2) or false', 'not result[0] > 1',
  'true or result < 1', 'false and result == 1', 'result == 0.5', 'result[0] % 2 == 0', '5 % 0 == 0', 'result[0] + "x" == "y"',
  'result[0]', 'len(result)', 'result[0] and true', '1 ? true : false', 'foo > 1', 'bar(result)', 'all(result[0], {# > 1})',
  'result[0] <', 'result[0] < 0.05)', 'result[0] @ 1', '# > 1', "'abc", 'result[2] < 0.05', 'result[0] < 0.05 and',
  'result[0] < 0.05 and result[0] > 0', 'result[0] < 5e-2', 'result[0] < .05', 'result[0] < 0x10', 'result[0] < 1_000',
  '"a" < "b"', "'a' + 'b' == 'ab'", '"abc" contains "b"', '"abc" startsWith "a"', 'nil == nil', 'result != nil', 'result[0] ?? 1 > 0',
  'len(result) == 1 && result[0] >= 0.1', 'result[1] < 0.05', 'all(result, {# < 0.05}) && len(result) > 0',
];
const unsupported = ['abs(result[0]) < 1', 'sum(result) < 1', 'result[0:1] == nil', 'result | len() > 0', 'let x = result[0]; x < 1', 'result[0] matches "1"', '1..3 == nil', 'result == [1]', 'max(result) < 1'];
const lines = [];
for (const c of conditions) for (const [name, r] of Object.entries(results)) lines.push({ name, success: c, ...r });
// valid expr outside Switchyard's subset: it must say so, never give a phase
for (const c of unsupported) for (const [name, r] of Object.entries(results)) lines.push({ name, success: c, ...r, outsideSubset: true });
// both conditions, one only failure
const pairs = [['result[0] < 0.05', 'result[0] > 0.5'], ['', 'result[0] > 0.1'], ['result[0] > 0', 'result[0] > 0'], ['', ''], ['result[0] < 0.05', 'result[1] > 0'], ['abs(result[0]) < 1', 'result[0] < "x"'], ['result[5] > 0', 'abs(result[0]) > 1']];
for (const [success, failure] of pairs) for (const [name, r] of Object.entries(results)) lines.push({ name, success, failure, ...r });
process.stdout.write(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');

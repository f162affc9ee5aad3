// The golden-signals section of BENCHMARKS.md, from bench/golden.bench.ts's result (scripts/bench.mjs).
export function goldenSection(g) {
  const o = g.open;
  return [
    '## Golden signals (Prometheus 3.16 of the local cluster, through a proxy that counts requests)',
    '',
    '| what | measured | target |',
    '|---|---|---|',
    `| ${g.idle.workloads.toLocaleString('en-US')} workloads in the store, a namespace watched, no details panel open: per-workload verdict, attention and tree line, ${g.idle.passes} passes over ${g.idle.seconds} s | ${g.idle.requests} requests to Prometheus | 0: ${g.idle.requests === 0 ? 'met' : 'missed'} |`,
    `| One visible panel (replica canary, 2 revisions): queries per refresh | ${o.queriesPerRefresh.min === o.queriesPerRefresh.max ? o.queriesPerRefresh.min : `${o.queriesPerRefresh.min}-${o.queriesPerRefresh.max}`} HTTP requests (${o.reportedQueries} queries: 5 range + 3 instant per revision) over ${o.refreshes} refreshes | |`,
    `| Time per refresh (all queries, 4 at a time) | ${o.refreshMs.p50} ms p50, ${o.refreshMs.max} ms max | |`,
    `| Interval between refreshes | ${o.intervalSeconds.min}-${o.intervalSeconds.max} s (setting ${o.refreshSetting} s, scrape interval ${o.scrapeInterval} s, step ${o.stepSeconds} s) | no faster than the scrape interval: ${o.intervalSeconds.min >= o.scrapeInterval ? 'met' : 'missed'} |`,
    `| The panel closed: requests in the next ${g.closed.seconds} s | ${g.closed.requests} | 0: ${g.closed.requests === 0 ? 'met' : 'missed'} |`,
    '',
    `Last comparison of the run (a -bad canary): "${o.comparison}".`,
    '',
  ];
}

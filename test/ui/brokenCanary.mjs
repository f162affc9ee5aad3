// UI test of a release gone wrong (issue 12, "why is it stuck"): with Rollout Details open on the
// demo's Argo canary `checkout` (paused at step 1 as cluster/demo.sh leaves it), a new image arrives
// from outside the editor (as a pipeline ships one) whose container exits at start-up. A person then
// sees it as it happens: the panel's verdict, the reason on the canary revision, the events of its
// objects and the failing pod's log with the run before; a notification saying who changed it and
// the trouble it is in; the tree's row, Needs attention (and the status bar's count).
// Pictures in the dark theme of the other panel picture; then `checkout` is recreated as demo.sh
// leaves it (the panel tests after this one promote it from there).
import assert from 'node:assert/strict';
import { DEMO_NAMESPACE, checkoutIsAsDemoLeftIt, checkoutRollout, recreateDemoCheckout, setCheckoutImage } from './demo.mjs';
import { clipAround, escapeRegExp, expandTreeItem, hideNotifications, openContextMenu, treeItem, waitForNotification, waitForTreeItemName, workloadItem } from './driver.mjs';
import { chooseMenuItemAgainIfStill, closeAllEditors, hideBottomPanel, logRetries, setColorTheme, showRolloutsView, webviewContent } from './panels.mjs';

const WAIT_MS = 60_000;
/** kwok's crash stage: the container exits 1 a second after it starts (cluster/README.md, "Pods that fail"). */
const BROKEN_IMAGE = 'ghcr.io/example/checkout:1.2.0-crash';
const image = escapeRegExp(BROKEN_IMAGE);

/** Waits until the panel's verdict line reads `pattern`; returns it. */
async function verdictUntil(frame, pattern, timeout = WAIT_MS) {
  const verdict = frame.locator('.verdict-section .verdict', { has: frame.locator('.verdict-text', { hasText: pattern }) });
  await verdict.waitFor({ timeout });
  return (await verdict.innerText()).trim();
}

/**
 * A picture of the crash loop that says CrashLoopBackOff: between its back-offs the container runs
 * for a second (the verdict then reads NotReady, its last run failed). Taken again when that second
 * fell between the check and the picture.
 */
async function shotWhileBackingOff(frame, shoot) {
  for (let attempt = 1; ; attempt++) {
    await verdictUntil(frame, /\(CrashLoopBackOff /, 90_000);
    await shoot();
    if (/\(CrashLoopBackOff /.test(await frame.locator('.verdict-text').innerText())) return;
    if (attempt >= 3) throw new Error('the verdict left CrashLoopBackOff during three pictures');
  }
}

/** The status bar's Needs attention item: its icon (bell: someone is waited for; warning: trouble) and count. */
async function attentionStatus(page) {
  const item = page.locator('.part.statusbar [id$="switchyard.attention"]');
  await item.waitFor({ timeout: WAIT_MS });
  const icon = (await item.locator('.codicon-warning').count()) ? 'warning' : (await item.locator('.codicon-bell').count()) ? 'bell' : 'none';
  return { icon, count: Number((await item.innerText()).trim()), label: (await item.getAttribute('aria-label')) ?? '' };
}

/** Scrolls the panel so that `locator` is at its top (for a picture of what follows it). */
async function scrollPanelTo(locator) {
  await locator.evaluate((el) => el.scrollIntoView({ block: 'start' }));
}

export default [
  {
    name: 'a broken Argo canary: the tree and Rollout Details say why it is stuck (reason, events, the failing pod\'s log, the verdict; dark theme), then the demo is put back',
    needsCluster: true,
    timeoutMs: 300_000,
    async run({ page, shot, log }) {
      let t0 = Date.now();
      log(`theme Dark Modern: ${await setColorTheme(page, 'Dark Modern', 'vs-dark')} (${Date.now() - t0} ms)`);
      await closeAllEditors(page);
      await hideBottomPanel(page);
      await showRolloutsView(page);
      const namespace = treeItem(page, DEMO_NAMESPACE);
      await namespace.waitFor({ timeout: WAIT_MS });
      await expandTreeItem(namespace);
      await expandTreeItem(treeItem(page, /^Argo Rollouts canary 1$/));
      const checkout = workloadItem(page, 'checkout');
      const before = await waitForTreeItemName(checkout, /^checkout /);
      // Recreated afterwards as demo.sh leaves it: only from there, so nothing else is lost.
      if (before !== 'checkout step 1/6 · 20% · paused' || !checkoutIsAsDemoLeftIt(await checkoutRollout())) {
        throw new Error(`checkout is not as demo.sh leaves it ("${before}"): run cluster/demo.sh --reset first`);
      }
      // The demo's paused Rollouts wait for a person: the status bar counts them, none in trouble.
      const waiting = await attentionStatus(page);
      log(`status bar before: ${waiting.icon} ${waiting.count} (${waiting.label})`);
      assert.equal(waiting.icon, 'bell');
      try {
        // ---- Rollout Details open on the paused canary, as someone watching the release ----
        t0 = Date.now();
        await openContextMenu(page, checkout);
        await chooseMenuItemAgainIfStill(page, 'Open Rollout Details');
        await page.locator('.tabs-container .tab.active', { hasText: `checkout · ${DEMO_NAMESPACE}` }).waitFor({ timeout: WAIT_MS });
        const frame = await webviewContent(page, '#root.rollout .verdict-section');
        log(`panel rendered ${Date.now() - t0} ms after the menu`);
        await frame.locator('body.vscode-dark').waitFor();
        log(`verdict before: ${await verdictUntil(frame, /^Paused at step 1\/6 \(20%\)/)}`);

        // ---- the bad release arrives (a pipeline, kubectl): the open panel follows it ----
        t0 = Date.now();
        await setCheckoutImage(BROKEN_IMAGE);
        log(`image set to ${BROKEN_IMAGE}`);
        // The verdict: the canary cannot start, why, and the way out (Abort, the toolbar's marked button).
        const verdict = await verdictUntil(frame, new RegExp(`^Canary cannot start \\((CrashLoopBackOff|NotReady) ${image}\\) — abort\\?`));
        log(`verdict ${Date.now() - t0} ms after the new image: ${verdict}`);
        assert.match(verdict, /\(Abort above\)$/);
        const header = frame.locator('#root.rollout header.head');
        assert.match(await header.locator('.description').innerText(), new RegExp(`^canary cannot start: (CrashLoopBackOff|NotReady) ${image} · step 0/6`));
        await frame.locator('vscode-button[data-action="abort"]:not([disabled])').waitFor();

        // A notification (switchyard.notifications "mine": its details are open): the trouble it is in, Abort first; with
        // who changed it when the crash came within the same quiet period as the change (it usually does), else after it.
        const notice = await waitForNotification(page, new RegExp(`^Switchyard: checkout (was updated to ${image} by kubectl-patch \\d+ s ago, and )?is in trouble: canary cannot start: (CrashLoopBackOff|NotReady) ${image}\\.$`));
        log(`notification: ${notice}`);
        const noticeButtons = await page.locator('.notifications-center .notification-list-item', { hasText: notice }).first().locator('.notification-list-item-buttons-container .monaco-button').allInnerTexts();
        log(`its buttons: ${noticeButtons.join(', ')}`);
        assert.equal(noticeButtons[0]?.trim(), 'Abort');
        await hideNotifications(page);

        // The reason on the canary revision: the container, its image, how its last run ended.
        const canaryRevision = frame.locator('article.revision', { has: frame.locator('.badge-role-canary') }).filter({ hasText: BROKEN_IMAGE });
        const problem = canaryRevision.locator('.problem');
        await problem.filter({ hasText: /^CrashLoopBackOff/ }).waitFor({ timeout: 90_000 });
        const problemText = (await problem.innerText()).trim();
        log(`canary revision: ${problemText}`);
        assert.match(problemText, new RegExp(`^CrashLoopBackOff · container checkout \\(${image}\\): back-off \\d+s restarting failed container=checkout pod=checkout-.*; last run Error \\(exit code 1\\)$`));
        // The stable revision keeps serving: its pods ready, nothing wrong with them.
        const stable = frame.locator('article.revision', { has: frame.locator('.badge-role-stable') });
        const stableHead = (await stable.locator('.revision-head').innerText()).trim();
        log(`stable revision: ${stableHead}`);
        assert.match(stableHead, / [45]\/[45] ready/);
        assert.equal(await stable.locator('.problem').count(), 0);

        // The events of its objects: the kubelet's back-off warning about the failing pod, and Argo's about the Rollout.
        const logs = frame.locator('section[aria-labelledby="h-logs"]');
        await logs.locator('h2', { hasText: /failing/ }).waitFor({ timeout: WAIT_MS });
        const failingPod = (await logs.locator('h2 code').first().innerText()).trim();
        log(`Logs section: ${(await logs.locator('h2').innerText()).trim()}`);
        assert.match(failingPod, /^checkout-[a-z0-9]+-[a-z0-9]+$/);
        const backOff = frame.locator('li.event.event-warning', { has: frame.locator('.event-reason', { hasText: /^BackOff$/ }) }).filter({ hasText: `Back-off restarting failed container checkout in pod ${failingPod}_${DEMO_NAMESPACE}` });
        await backOff.waitFor({ timeout: WAIT_MS });
        const rows = (await frame.locator('ol.events li.event').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
        for (const row of rows.slice(0, 8)) log(`event: ${row}`);
        assert.ok(rows.some((r) => /\bRollout checkout\b/.test(r)), `an event of the Rollout itself (${rows.length} rows)`);
        assert.match((await frame.locator('#h-events').innerText()).trim(), /^Events \d+ warnings?/);

        // The failing pod's log: its last run's last words, and the run before the restart.
        const current = logs.locator('pre.log').first();
        await current.filter({ hasText: 'error: config: DATABASE_URL is not set' }).waitFor({ timeout: WAIT_MS });
        assert.match((await current.innerText()).trim(), /exiting with status 1$/);
        await logs.locator('h3', { hasText: /^previous run/ }).waitFor({ timeout: 90_000 });
        assert.match((await logs.locator('pre.log').nth(1).innerText()).trim(), /DATABASE_URL is not set\nexiting with status 1$/);

        // ---- the pictures of the panel: its top (verdict, traffic, steps), the revisions, the evidence ----
        await hideNotifications(page);
        await hideBottomPanel(page);
        const editor = page.locator('.part.editor');
        await shotWhileBackingOff(frame, async () => {
          await scrollPanelTo(header);
          await shot('broken-canary-panel-dark', { clip: await clipAround(page, [editor], { margin: 0 }), animations: 'disabled' });
        });
        await shotWhileBackingOff(frame, async () => {
          await scrollPanelTo(canaryRevision);
          await shot('broken-canary-revisions-dark', { clip: await clipAround(page, [editor], { margin: 0 }), animations: 'disabled' });
        });
        await scrollPanelTo(logs);
        await shot('broken-canary-logs-dark', { clip: await clipAround(page, [editor], { margin: 0 }), animations: 'disabled' });

        // ---- the tree: the row says it, with the reason and the image in front ----
        log(`tree: ${await waitForTreeItemName(checkout, new RegExp(`^checkout canary cannot start: (CrashLoopBackOff|NotReady) ${image} · step 0/6 · 20%`))}`);
        // Needs attention lists it as trouble, the action that takes it out of the way one click away (inline, on hover).
        // (Its accessible name is its tooltip, a plain string: found by its label's text.)
        const attention = page.locator('.part.sidebar [role="treeitem"][aria-level="1"]', { hasText: /^\s*Needs attention \(\d+\)/ });
        await attention.waitFor({ timeout: WAIT_MS });
        await expandTreeItem(attention);
        const listed = treeItem(page, 'checkout', { level: 2 });
        log(`Needs attention: ${await waitForTreeItemName(listed, /^checkout .*cannot start/)}`);
        await listed.hover();
        const inline = (await listed.locator('.actions .action-label').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))).filter(Boolean);
        log(`its inline actions: ${inline.join(', ')}`);
        assert.ok(inline.some((a) => /^Abort Rollout\b/.test(a)), `Abort Rollout inline (${inline.join(', ')})`);
        // The status bar: as many as before (checkout waited for a promotion, now it is in trouble), with the warning.
        const trouble = await attentionStatus(page);
        log(`status bar: ${trouble.icon} ${trouble.count} (${trouble.label})`);
        assert.deepEqual([trouble.icon, trouble.count], ['warning', waiting.count]);

        // The canary revision in the tree: its crash-looping pod with the reason, and its Events.
        await expandTreeItem(checkout);
        const canary = treeItem(page, new RegExp(`^revision \\d+ canary · checkout:1\\.2\\.0-crash\\b`));
        await expandTreeItem(canary);
        // (A pod row's accessible name is its tooltip: name, phase, node, the reason.)
        const pod = treeItem(page, new RegExp(`^${escapeRegExp(failingPod)}\\s`));
        const podRow = await waitForTreeItemName(pod, new RegExp(`\\n(CrashLoopBackOff|NotReady) \\(container checkout, ${image}\\)`));
        log(`pod row: ${podRow.replace(/\n/g, ' | ')}`);
        // (Its accessible name is its tooltip too: its description says what it found.)
        const events = treeItem(page, /^Kubernetes events of this revision/);
        await expandTreeItem(events);
        const eventsDescription = events.locator('.label-description', { hasText: /^\d+ warning\(s\) · latest BackOff/ });
        await eventsDescription.waitFor({ timeout: WAIT_MS });
        log(`Events row: ${(await eventsDescription.innerText()).trim()}`);
        await page.mouse.move(0, 0);
        const sidebar = page.locator('.part.sidebar');
        await shot('broken-canary-tree-dark', { clip: await clipAround(page, [sidebar.locator('.composite.title'), sidebar.getByRole('treeitem').last()]), animations: 'disabled' });
        await closeAllEditors(page);
      } finally {
        t0 = Date.now();
        await recreateDemoCheckout();
        log(`checkout recreated as demo.sh leaves it in ${Date.now() - t0} ms`);
      }
      log(`tree: ${await waitForTreeItemName(checkout, /^checkout step 1\/6 · 20% · paused$/, { timeout: 90_000 })}`);
      logRetries(log);
    },
  },
];

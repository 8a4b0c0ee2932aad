// The trace view: renders one ScenarioRun (server/src/verdict/scenario-run.ts) sent by the extension.
// Pre and post side by side (or one at a time in a narrow panel); per side a swimlane (one column
// per thread, one row per step) with the state pane beside it (media/trace-state.js: pages, iocbs,
// the patch's locals, changed cells marked), and stepping with buttons or the arrow keys. Opened
// at the race window, the two sides step together, aligned at their windows. A livelock's lasso
// (the loop that repeats forever) is marked on its rows. Clicking a step asks the extension to
// reveal its source. Plain DOM and textContent only: run data never becomes markup.
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  /**
   * { run, uri, cursor: { pre, post }, active } survives the panel being hidden and, through the
   * extension's panel serializer (client/src/trace/state.ts reads it back), a window reload.
   */
  let state = vscode.getState() || null;

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = String(text);
    return e;
  }

  function sides() {
    return ['pre', 'post'].filter((s) => state && state.run[s]);
  }

  function verdictLine(side) {
    const v = side.violations.map((x) => `${x.rule} after step ${x.step + 1}${x.reason ? ` (${x.reason})` : ''}`);
    const search = side.complete ? 'search complete' : 'search incomplete (bounds reached)';
    return `${side.side} (${side.era}): ${v.length ? 'broken: ' + v.join(', ') : 'nothing broken'}; ${search}, ${side.states} states`;
  }

  function renderHeader() {
    const header = document.getElementById('verdict');
    header.replaceChildren(el('h1', '', `${state.run.scenario}: ${state.run.title}`));
    for (const s of sides()) header.appendChild(el('p', state.run[s].violations.length ? 'broken' : 'clean', verdictLine(state.run[s])));
    header.appendChild(el('p', 'hint', 'Click a side, then ← → (or ↑ ↓) to step; click a step to show its line in the patch.'));
    const toggle = el('button', 'toggle', state.hideQuiet ? 'Show library bookkeeping' : 'Hide library bookkeeping');
    toggle.title = 'Model steps that changed nothing, away from the window and the violations';
    toggle.addEventListener('click', () => { state.hideQuiet = !state.hideQuiet; render(); });
    const bar = el('div', 'toggles');
    bar.appendChild(toggle);
    bar.appendChild(switchButton('hideSame', 'Hide unchanged state', 'Show unchanged state', 'State rows whose value is the same after every step'));
    if (sides().length === 2) {
      bar.appendChild(switchButton('linked', 'Step pre and post together', 'Step each side alone', 'Both sides move together, aligned at their race windows'));
      bar.appendChild(switchButton('oneSide', 'Show one side', 'Show both sides', 'One side at a time fits a narrow panel; the other keeps its aligned step'));
      if (state.oneSide) {
        const other = state.active === 'pre' ? 'post' : 'pre';
        const flip = el('button', 'toggle', other === 'pre' ? 'Show before the patch' : 'Show after the patch');
        flip.title = 'The other side, at its own cursor (aligned with this one when they step together)';
        flip.addEventListener('click', () => { state.active = other; render(); });
        bar.appendChild(flip);
      }
    }
    header.appendChild(bar);
  }

  /** A button that flips `state[key]` and says what a click will do. */
  function switchButton(key, off, on, title) {
    const b = el('button', 'toggle', state[key] ? on : off);
    b.title = title;
    b.setAttribute('aria-pressed', state[key] ? 'true' : 'false');
    b.addEventListener('click', () => { state[key] = !state[key]; render(); });
    return b;
  }

  /**
   * One lane per thread: the scenario's threads, then any thread a step names that the run does
   * not list (one spawned during the run, e.g. an I/O completion `wb1`), so no step is left
   * without a lane to show its code in.
   */
  function lanes() {
    const threads = [...(state.run.threads || [])];
    for (const s of sides()) for (const step of state.run[s].steps) if (!threads.includes(step.thread)) threads.push(step.thread);
    return threads;
  }

  /**
   * Where a step's code is: its line in the patch, or its file and line in the model library. A
   * step the model takes without library code (an I/O completion such as `writeback-io`) has none,
   * and shows none rather than "undefined:1".
   */
  function placeOf(step) {
    if (step.source === 'model') return step.modelFile !== undefined ? `${step.modelFile}:${(step.modelLine || 0) + 1}` : 'model';
    return step.range ? `line ${step.range.start.line + 1}` : '';
  }

  /** The violations found after step i, each rule once (a rule checked twice at one step is one violation). */
  function violationsAt(side, i) {
    const seen = new Set();
    return side.violations.filter((x) => x.step === i && !seen.has(x.rule) && seen.add(x.rule));
  }

  /**
   * The race window a side's trace shows: the last preemption (a thread gets in while another,
   * which runs again later, is between two steps) at or before the first violation; the first
   * preemption when the violation comes before any. -1 when no thread is preempted.
   */
  function windowStep(side) {
    const steps = side.steps;
    const firstViolation = side.violations.length ? Math.min(...side.violations.map((v) => v.step)) : steps.length;
    let found = -1;
    for (let i = 1; i < steps.length; i++) {
      const left = steps[i - 1].thread;
      if (steps[i].thread === left || !steps.slice(i + 1).some((x) => x.thread === left)) continue;
      if (i <= firstViolation || found < 0) found = i;
      if (i > firstViolation) break;
    }
    return found;
  }

  /** The next violation after the cursor, else the first. -1 when the side has none. */
  function violationStep(side, cursor) {
    const at = [...new Set(side.violations.map((v) => v.step))].sort((a, b) => a - b);
    if (!at.length) return -1;
    return at.find((s) => s > cursor) ?? at[0];
  }

  /** A livelock's lasso on this side: { from, to } step indexes of the loop, or null. */
  function lassoOf(side) {
    const v = side.violations.find((x) => x.lasso && x.lasso.to > x.lasso.from && x.lasso.to < side.steps.length);
    return v ? v.lasso : null;
  }

  function swimlane(sideName, side, cursor) {
    const threads = lanes();
    const win = windowStep(side);
    const table = el('table', 'lanes');
    const head = el('tr');
    head.appendChild(el('th', 'num', '#'));
    for (const t of threads) head.appendChild(el('th', '', t));
    table.appendChild(el('thead')).appendChild(head);
    const body = el('tbody');
    const lasso = lassoOf(side);
    side.steps.forEach((step, i) => {
      const row = el('tr', i === cursor ? 'step current' : i > cursor ? 'step future' : 'step');
      if (lasso && i >= lasso.from && i <= lasso.to) {
        row.classList.toggle('lasso', true);
        if (i === lasso.from) row.classList.toggle('lasso-start', true);
        if (i === lasso.to) row.classList.toggle('lasso-end', true);
      }
      // Library bookkeeping: model code that changed nothing, away from the window and the violations.
      if (i !== cursor && i !== win && step.source === 'model' && !step.effect && violationsAt(side, i).length === 0) row.classList.toggle('quiet', true);
      row.tabIndex = -1;
      const num = el('td', 'num', i + 1);
      if (lasso && i === lasso.from) num.title = `The loop starts here; after step ${lasso.to + 1} it comes back`;
      if (lasso && i === lasso.to) num.title = `The loop ends here and goes back to step ${lasso.from + 1}`;
      row.appendChild(num);
      for (const t of threads) {
        const cell = el('td', t === step.thread ? 'lane on' : 'lane');
        if (t === step.thread) {
          cell.appendChild(el('code', '', step.code));
          cell.appendChild(el('div', 'effect', step.effect));
          cell.appendChild(el('div', 'where', `${step.function}${placeOf(step) ? ' · ' + placeOf(step) : ''}`));
        }
        row.appendChild(cell);
      }
      row.addEventListener('click', () => {
        move(sideName, i - cursorOf(sideName));
        vscode.postMessage({ type: 'reveal', side: sideName, step: i });
      });
      body.appendChild(row);
      for (const v of violationsAt(side, i)) {
        const vr = el('tr', 'violation');
        const loop = v.lasso ? ` — the loop: steps ${v.lasso.from + 1} to ${v.lasso.to + 1}, again and again` : '';
        const td = el('td', '', `✖ ${v.rule}: ${v.message}${loop}`);
        td.colSpan = threads.length + 1;
        vr.appendChild(td);
        body.appendChild(vr);
      }
    });
    table.appendChild(body);
    return table;
  }

  function cursorOf(sideName) {
    return state.cursor[sideName] || 0;
  }

  function renderSide(sideName) {
    const side = state.run[sideName];
    const cursor = cursorOf(sideName);
    const section = el('section', sideName === state.active ? 'side active' : 'side');
    section.tabIndex = 0;
    section.setAttribute('aria-label', `${sideName} side`);
    section.appendChild(el('h2', '', `${sideName === 'pre' ? 'Before the patch' : 'After the patch'} (${side.era})`));
    const bar = el('div', 'controls');
    const back = el('button', '', '◀ Back');
    const fwd = el('button', '', 'Forward ▶');
    back.disabled = cursor <= 0;
    fwd.disabled = cursor >= side.steps.length - 1;
    back.addEventListener('click', () => move(sideName, -1));
    fwd.addEventListener('click', () => move(sideName, 1));
    bar.append(back, el('span', 'position', `step ${side.steps.length ? cursor + 1 : 0} of ${side.steps.length}`), fwd);
    const win = windowStep(side);
    const toWindow = el('button', 'jump', '⇥ Window');
    toWindow.title = win >= 0 ? `Step ${win + 1}: where a thread gets in between another's steps` : 'No thread is preempted on this side';
    toWindow.disabled = win < 0;
    toWindow.addEventListener('click', () => move(sideName, win - cursor));
    const violation = violationStep(side, cursor);
    const toViolation = el('button', 'jump', '✖ Violation');
    toViolation.title = violation >= 0 ? `Step ${violation + 1}: after it a rule is broken` : 'Nothing is broken on this side';
    toViolation.disabled = violation < 0;
    toViolation.addEventListener('click', () => move(sideName, violation - cursor));
    bar.append(toWindow, toViolation);
    const lasso = lassoOf(side);
    if (lasso) {
      const toLoop = el('button', 'jump', '↻ Loop');
      toLoop.title = `Step ${lasso.from + 1}: where the loop that repeats forever starts (it ends at step ${lasso.to + 1})`;
      toLoop.addEventListener('click', () => move(sideName, lasso.from - cursor));
      bar.append(toLoop);
    }
    section.appendChild(bar);
    // The lanes scroll in a box of their own (both ways), with the state after the current step
    // beside them (under them when the side is too narrow), so it stays in view while stepping.
    const body = el('div', 'side-body');
    const box = el('div', 'lanes-box');
    box.appendChild(swimlane(sideName, side, cursor));
    body.appendChild(box);
    body.appendChild(window.kprTraceState.statePane(side, cursor, !!state.hideSame));
    section.appendChild(body);
    section.addEventListener('focusin', () => activate(sideName));
    section.addEventListener('mousedown', () => activate(sideName));
    return section;
  }

  function activate(sideName) {
    if (state.active === sideName) return;
    state.active = sideName;
    for (const s of document.querySelectorAll('section.side')) s.classList.toggle('active', s.getAttribute('aria-label') === `${sideName} side`);
    vscode.setState(state);
  }

  function render() {
    if (!state) return;
    renderHeader();
    const main = document.getElementById('sides');
    const shown = state.oneSide && sides().length === 2 ? [state.active] : sides();
    main.replaceChildren(...shown.map(renderSide));
    main.classList.toggle('hide-quiet', !!state.hideQuiet);
    // Scroll to the current step's own lane cell, not its row: its lane comes into view in the
    // lanes box (the step numbers are sticky at its left), while a row wider than the box would
    // scroll it to the row's start, away from a lane on the right.
    const current = document.querySelector('section.side.active tr.current td.on') || document.querySelector('section.side.active tr.current td.num');
    if (current) current.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    if (current) revealLane(current);
    if (state.linked) alignRows();
    vscode.setState(state);
  }

  /** Scrolls the lanes box sideways so the step's lane cell starts right of the sticky step numbers. */
  function revealLane(cell) {
    const box = cell.closest ? cell.closest('div.lanes-box') : null;
    const num = cell.parentElement ? cell.parentElement.querySelector('td.num') : null;
    if (!box || !num || typeof cell.offsetLeft !== 'number') return;
    const left = cell.offsetLeft - num.offsetWidth;
    const right = cell.offsetLeft + cell.offsetWidth;
    if (left < box.scrollLeft || right > box.scrollLeft + box.clientWidth) box.scrollLeft = Math.max(0, left);
  }

  /** Stepping together: each side's current row at the same height in its box (a third down). */
  function alignRows() {
    for (const box of document.querySelectorAll('div.lanes-box')) {
      const row = box.querySelector ? box.querySelector('tr.current') : null;
      if (!row || typeof row.offsetTop !== 'number' || typeof box.clientHeight !== 'number') continue;
      box.scrollTop = Math.max(0, row.offsetTop - Math.floor(box.clientHeight / 3));
    }
  }

  /** Where the other side stands when the sides step together: as far from its window as this one is from its own. */
  function alignedStep(from, to, cursor) {
    const a = windowStep(state.run[from]);
    const b = windowStep(state.run[to]);
    const at = Math.max(0, b) + (cursor - Math.max(0, a));
    return Math.max(0, Math.min(state.run[to].steps.length - 1, at));
  }

  function move(sideName, delta) {
    const side = state.run[sideName];
    if (!side) return;
    const next = Math.max(0, Math.min(side.steps.length - 1, cursorOf(sideName) + delta));
    state.cursor[sideName] = next;
    state.active = sideName;
    const other = sideName === 'pre' ? 'post' : 'pre';
    if (state.linked && state.run[other]) state.cursor[other] = alignedStep(sideName, other, next);
    render();
    const section = document.querySelector('section.side.active');
    if (section) section.focus({ preventScroll: true });
  }

  document.addEventListener('keydown', (e) => {
    if (!state || !state.active) return;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') move(state.active, 1);
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') move(state.active, -1);
    else if (e.key === 'Enter') vscode.postMessage({ type: 'reveal', side: state.active, step: cursorOf(state.active) });
    else return;
    e.preventDefault();
  });

  window.addEventListener('message', (event) => {
    const msg = event.data;
    if (!msg || msg.type !== 'run') return;
    // A negative step asks for the race window: each side opens at its own (the first step when none).
    const cursor = { pre: 0, post: 0 };
    for (const name of ['pre', 'post']) if (msg.run[name] && msg.step < 0) cursor[name] = Math.max(0, windowStep(msg.run[name]));
    if (msg.side && msg.step >= 0) cursor[msg.side] = msg.step || 0;
    const keep = (k) => (state ? !!state[k] : false);
    // Opened at the window, the sides are aligned there and step together; opened at a given
    // step of one side, they are not. A narrow panel shows one side at a time.
    const narrow = typeof window.innerWidth === 'number' && window.innerWidth < 900;
    state = {
      run: msg.run, uri: msg.uri, cursor, active: msg.side || (msg.run.post ? 'post' : 'pre'),
      hideQuiet: keep('hideQuiet'), hideSame: keep('hideSame'), linked: msg.step < 0, oneSide: state ? !!state.oneSide : narrow,
    };
    render();
  });

  render();
  // hasRun: a page restored from its state needs no run from the extension (that would reset its cursor).
  vscode.postMessage({ type: 'ready', hasRun: !!state });
})();

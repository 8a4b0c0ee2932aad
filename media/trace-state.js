// The trace view's state pane, loaded before trace.js: the state after the current step, beside
// the lanes. Pages and iocbs are tables with one column per object and one row per field, so the
// pane stays narrow; the patch's locals and each thread's return are a table with one column per
// thread. A cell the current step changed is marked (its title says what it was); a row whose
// value never changes over the side's whole trace can be hidden. Plain DOM, textContent only.
(function () {
  'use strict';
  const PAGE_FIELDS = [
    ['cached', 'cached'], ['uptodate', 'uptodate'], ['dirty', 'dirty'], ['writeback', 'writeback'],
    ['lockedBy', 'locked by'], ['mapped', 'ptes'], ['pteDirty', 'pte dirty'], ['refcount', 'count'],
    ['buffers', 'buffers'], ['data', 'data'], ['disk', 'disk'],
  ];
  const IOCB_FIELDS = [['sync', 'sync'], ['queued', 'queued'], ['completions', 'completions'], ['result', 'result']];

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = String(text);
    return e;
  }

  function show(value) {
    if (value === undefined || value === null || value === '') return '—';
    if (value === true) return 'yes';
    if (value === false) return 'no';
    return String(value);
  }

  /**
   * The state after a step as groups of cells: { title, columns, rows: [{ label, cells: {column: text} }] }.
   * Locals: the innermost patch frame's value wins when two frames of a thread share a name.
   */
  function groupsOf(step) {
    const pages = { title: 'Pages', columns: [], rows: PAGE_FIELDS.map(([, label]) => ({ label, cells: {} })) };
    for (const p of (step && step.pages) || []) {
      const col = `page ${p.index}`;
      pages.columns.push(col);
      PAGE_FIELDS.forEach(([key], i) => { pages.rows[i].cells[col] = show(p[key]); });
    }
    const iocbs = { title: 'iocbs', columns: [], rows: IOCB_FIELDS.map(([, label]) => ({ label, cells: {} })) };
    for (const c of (step && step.iocbs) || []) {
      const col = `iocb ${c.id}`;
      iocbs.columns.push(col);
      IOCB_FIELDS.forEach(([key], i) => { iocbs.rows[i].cells[col] = show(c[key]); });
    }
    const locals = { title: 'Locals', columns: [], rows: [], hint: 'Integer locals of the patch\'s functions, and what each thread\'s entry returned' };
    const row = (label, title) => {
      let r = locals.rows.find((x) => x.label === label);
      if (!r) { r = { label, cells: {}, title }; locals.rows.push(r); }
      return r;
    };
    for (const t of (step && step.locals) || []) {
      locals.columns.push(t.thread);
      for (const f of t.frames) for (const [name, value] of Object.entries(f.locals)) {
        const r = row(name, `a local of ${f.function}()`);
        r.cells[t.thread] = value;
      }
      if (t.returned !== undefined) row('returned', 'what the thread\'s entry returned').cells[t.thread] = t.returned;
    }
    return [pages, iocbs, locals].filter((g) => g.columns.length > 0);
  }

  /** Rows (`title|label`) whose cells are the same after every step of the side: "unchanged state". */
  function sameThroughout(side) {
    const seen = new Map();
    const differs = new Set();
    for (const step of side.steps) {
      for (const g of groupsOf(step)) for (const r of g.rows) {
        const key = `${g.title}|${r.label}`;
        const text = JSON.stringify(g.columns.map((c) => [c, r.cells[c]]));
        if (!seen.has(key)) seen.set(key, text);
        else if (seen.get(key) !== text) differs.add(key);
      }
    }
    return new Set([...seen.keys()].filter((k) => !differs.has(k)));
  }

  /** The pane for step `cursor` of `side`; `hideSame` hides the rows that never change. */
  function statePane(side, cursor, hideSame) {
    const pane = el('aside', 'state-pane');
    pane.setAttribute('aria-label', 'state after the current step');
    pane.appendChild(el('h3', '', `State after step ${side.steps.length ? cursor + 1 : 0}`));
    const prev = cursor > 0 ? groupsOf(side.steps[cursor - 1]) : null;
    const same = hideSame ? sameThroughout(side) : new Set();
    let hidden = 0;
    for (const g of groupsOf(side.steps[cursor])) {
      const before = prev ? prev.find((x) => x.title === g.title) : undefined;
      const table = el('table', `state ${g.title === 'Pages' ? 'pages' : g.title === 'iocbs' ? 'iocbs' : 'locals'}`);
      const head = el('tr');
      const title = el('th', '', g.title);
      if (g.hint) title.title = g.hint;
      head.appendChild(title);
      for (const c of g.columns) head.appendChild(el('th', '', c));
      table.appendChild(el('thead')).appendChild(head);
      const body = el('tbody');
      for (const r of g.rows) {
        if (same.has(`${g.title}|${r.label}`)) { hidden++; continue; }
        const tr = el('tr');
        const th = el('th', 'field', r.label);
        if (r.title) th.title = r.title;
        tr.appendChild(th);
        const was = before ? before.rows.find((x) => x.label === r.label) : undefined;
        for (const c of g.columns) {
          const now = r.cells[c] === undefined ? '—' : r.cells[c];
          const old = was && was.cells[c] !== undefined ? was.cells[c] : '—';
          const changed = prev !== null && old !== now;
          const td = el('td', changed ? 'changed' : '', now);
          if (changed) td.title = `was ${old}`;
          tr.appendChild(td);
        }
        body.appendChild(tr);
      }
      table.appendChild(body);
      pane.appendChild(table);
    }
    if (hidden > 0) pane.appendChild(el('p', 'hint', `${hidden} row${hidden === 1 ? '' : 's'} that never change hidden`));
    return pane;
  }

  window.kprTraceState = { statePane };
})();

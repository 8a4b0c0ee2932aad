-- Neovim (0.7.2) as a second LSP client for `kpr lsp --stdio`: open one file, attach the server,
-- wait for its diagnostics and write them as JSON, then quit. Driven by test/nvim/neovim.test.ts.
-- 0.7.2 has no `nvim -l` and no script arguments for -c, so the inputs come from the environment:
--   KPR_NVIM_NODE     node executable that runs the server
--   KPR_NVIM_SERVER   path of server/dist/kpr.js
--   KPR_NVIM_FILE     the document to open
--   KPR_NVIM_OUT      where the JSON result goes
--   KPR_NVIM_WAIT_MS  how long to wait for diagnostics (default 15000)
--   KPR_NVIM_LINE     optional 1-based line: ask for its hover and its code actions, apply the
--                     first action, and report the hover, the action titles and the line after
local env = vim.env
local out_path = env.KPR_NVIM_OUT

local function write_result(result)
  local f = assert(io.open(out_path, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
end

local function run()
  local file = assert(env.KPR_NVIM_FILE, 'KPR_NVIM_FILE not set')
  local wait_ms = tonumber(env.KPR_NVIM_WAIT_MS or '15000')
  local t0 = vim.loop.hrtime()
  local exited = nil
  local client_id = vim.lsp.start_client({
    name = 'kpr',
    cmd = { env.KPR_NVIM_NODE or 'node', assert(env.KPR_NVIM_SERVER, 'KPR_NVIM_SERVER not set'), 'lsp', '--stdio' },
    root_dir = vim.fn.fnamemodify(file, ':p:h'),
    -- Remember an early exit so that the wait below ends at once and the reason is reported.
    on_exit = function(code, signal) exited = { code = code, signal = signal } end,
  })
  if not client_id then error('vim.lsp.start_client returned nil') end

  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local t_attach = vim.loop.hrtime()
  if not vim.lsp.buf_attach_client(bufnr, client_id) then error('buf_attach_client failed') end

  local got = vim.wait(wait_ms, function()
    return exited ~= nil or #vim.diagnostic.get(bufnr) > 0
  end, 20)
  local t_diag = vim.loop.hrtime()

  local diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    -- 0.7 keeps the LSP diagnostic under user_data.lsp; `code` is only copied over in later versions.
    local lsp = (d.user_data and d.user_data.lsp) or {}
    table.insert(diagnostics, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, severity = d.severity,
      message = d.message, source = d.source or lsp.source, code = d.code or lsp.code,
    })
  end
  local client = vim.lsp.get_client_by_id(client_id)
  local probe = {}
  local line = tonumber(env.KPR_NVIM_LINE or '')
  if line and got and exited == nil then
    local text = vim.api.nvim_buf_get_lines(bufnr, line - 1, line, false)[1] or ''
    local range = { start = { line = line - 1, character = 0 }, ['end'] = { line = line - 1, character = #text } }
    local hovers = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', {
      textDocument = vim.lsp.util.make_text_document_params(bufnr), position = { line = line - 1, character = 1 },
    }, 10000) or {}
    for _, r in pairs(hovers) do
      if r.result and r.result.contents then probe.hover = r.result.contents.value or r.result.contents end
    end
    local replies = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
      textDocument = vim.lsp.util.make_text_document_params(bufnr), range = range,
      context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, line - 1) },
    }, 10000) or {}
    probe.actions = {}
    local first = nil
    for _, r in pairs(replies) do
      for _, a in ipairs(r.result or {}) do
        table.insert(probe.actions, a.title)
        first = first or a
      end
    end
    if first and first.edit then vim.lsp.util.apply_workspace_edit(first.edit, 'utf-16') end
    probe.line_after = vim.api.nvim_buf_get_lines(bufnr, line - 1, line, false)[1]
  end
  write_result({
    probe = probe,
    ok = got and exited == nil,
    exited = exited,
    server_name = client and client.server_info and client.server_info.name or vim.NIL,
    diagnostics = diagnostics,
    ms_start_to_attach = (t_attach - t0) / 1e6,
    ms_attach_to_diagnostics = (t_diag - t_attach) / 1e6,
    nvim = tostring(vim.version().major) .. '.' .. vim.version().minor .. '.' .. vim.version().patch,
  })
  if client then client.stop() end
end

local ok, err = pcall(run)
if not ok then
  pcall(write_result, { ok = false, error = tostring(err), diagnostics = {} })
  vim.cmd('cquit 1')
else
  vim.cmd('qall!')
end

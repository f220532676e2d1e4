-- perfectex for Neovim: starts the perfectex language server for TeX, LaTeX and BibTeX buffers, one client
-- per project root, sends the user's settings, and offers the server's quick fixes and statistics.
-- On Neovim 0.8 and later it attaches with vim.lsp.start; on 0.7 with vim.lsp.start_client and
-- vim.lsp.buf_attach_client from a FileType autocommand. No LaTeX knowledge lives here.

local root = require('perfectex.root')

local M = {}

M.name = 'perfectex'
M.filetypes = { 'tex', 'plaintex', 'latex', 'bib' }

-- LSP language identifiers for Neovim's filetypes, as VS Code sends them.
local language_ids = { tex = 'latex', latex = 'latex', plaintex = 'tex', bib = 'bibtex' }

--- The languageId sent in didOpen for a buffer of `filetype` (the get_language_id of a client config).
function M.language_id(_, filetype)
  return language_ids[filetype] or filetype
end

local known_options = { cmd = true, settings = true, on_attach = true, on_exit = true, capabilities = true, handlers = true }

-- Neovim 0.11 turned client functions into methods (client:request); 0.7 to 0.10 call them as fields.
local method_calls = vim.fn.has('nvim-0.11') == 1

local function call(client, name, ...)
  if method_calls then
    return client[name](client, ...)
  end
  return client[name](...)
end

local options = { cmd = { 'perfectex' }, settings = {} }
local clients_by_root = {} -- Neovim 0.7 only: project root -> client id
local warned_not_executable = false

local function notify(message, level)
  vim.notify('perfectex: ' .. message, level or vim.log.levels.INFO)
end

local function check_options(opts)
  vim.validate({ opts = { opts, 'table', true } })
  opts = opts or {}
  for key in pairs(opts) do
    if not known_options[key] then
      error(string.format("perfectex: unknown option '%s' (known: cmd, settings, on_attach, on_exit, capabilities, handlers)", tostring(key)), 3)
    end
  end
  vim.validate({
    cmd = { opts.cmd, 'table', true },
    settings = { opts.settings, 'table', true },
    on_attach = { opts.on_attach, 'function', true },
    on_exit = { opts.on_exit, 'function', true },
    capabilities = { opts.capabilities, 'table', true },
    handlers = { opts.handlers, 'table', true },
  })
  if opts.cmd then
    if #opts.cmd == 0 then
      error('perfectex: cmd must start with the server executable', 3)
    end
    for i, part in ipairs(opts.cmd) do
      if type(part) ~= 'string' then
        error(string.format('perfectex: cmd[%d] must be a string, got %s', i, type(part)), 3)
      end
    end
  end
  return opts
end

--- The running perfectex clients.
function M.clients()
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  return vim.tbl_filter(function(client)
    return client.name == M.name
  end, get())
end

--- The perfectex client attached to `bufnr` (0 for the current buffer), or nil.
function M.buffer_client(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  for _, client in ipairs(M.clients()) do
    if vim.lsp.buf_is_attached(bufnr, client.id) then
      return client
    end
  end
  return nil
end

--- The client configuration for a project root, as vim.lsp.start and vim.lsp.start_client take it.
function M.client_config(root_dir)
  return {
    name = M.name,
    cmd = options.cmd,
    root_dir = root_dir,
    settings = { perfectex = options.settings },
    capabilities = options.capabilities,
    handlers = options.handlers,
    get_language_id = M.language_id,
    on_init = function(client)
      call(client, 'notify', 'workspace/didChangeConfiguration', { settings = client.config.settings })
    end,
    on_attach = options.on_attach,
    on_exit = options.on_exit,
  }
end

--- Starts (or reuses) the client for the project of `bufnr` and attaches the buffer; returns the client id.
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if vim.bo[bufnr].buftype ~= '' then
    return nil
  end
  if vim.fn.executable(options.cmd[1]) ~= 1 then
    if not warned_not_executable then
      warned_not_executable = true
      notify(string.format("'%s' is not an executable; install perfectex or set cmd in require('perfectex').setup{}", options.cmd[1]), vim.log.levels.ERROR)
    end
    return nil
  end
  local root_dir = root.find(vim.api.nvim_buf_get_name(bufnr))
  if vim.lsp.start then
    return vim.lsp.start(M.client_config(root_dir), { bufnr = bufnr })
  end
  local id = clients_by_root[root_dir]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    id = vim.lsp.start_client(M.client_config(root_dir))
    if not id then
      return nil
    end
    clients_by_root[root_dir] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

local function attach_all()
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(M.filetypes, vim.bo[bufnr].filetype) then
      M.attach(bufnr)
    end
  end
end

--- Stops every perfectex client, waits for them to exit (forcing them after 5 s), then attaches the
--- perfectex buffers to new servers; calls `on_done` when done.
function M.restart(on_done)
  local old = M.clients()
  for _, client in ipairs(old) do
    call(client, 'stop')
  end
  clients_by_root = {}
  local deadline = vim.loop.now() + 5000
  local function when_stopped()
    local running = vim.tbl_filter(function(client)
      return vim.lsp.get_client_by_id(client.id) ~= nil
    end, old)
    if #running > 0 and vim.loop.now() < deadline then
      vim.defer_fn(when_stopped, 50)
      return
    end
    for _, client in ipairs(running) do
      call(client, 'stop', true)
    end
    attach_all()
    if on_done then
      on_done()
    end
  end
  when_stopped()
end

local function milliseconds(value)
  return string.format(value < 10 and '%.2f ms' or '%.1f ms', value)
end

local function latency_line(name, summary)
  if type(summary) ~= 'table' or (summary.count or 0) == 0 then
    return name .. ': no samples yet'
  end
  return string.format('%s (%d samples): p50 %s, p90 %s, p99 %s, p99.9 %s, max %s', name, summary.count,
    milliseconds(summary.p50), milliseconds(summary.p90), milliseconds(summary.p99), milliseconds(summary.p999),
    milliseconds(summary.max))
end

--- The lines :PerfectexStats shows for a `perfectex/stats` reply.
function M.format_stats(stats)
  local lines = {
    string.format('uptime: %.1f s', (stats.uptime_ms or 0) / 1000),
    string.format('open documents: %d', stats.documents or 0),
    string.format('requests: %d (errors: %d)', stats.requests or 0, stats.errors or 0),
    string.format('edits: %d, analyses: %d, diagnostics published: %d', stats.edits or 0, stats.analyses or 0, stats.publishes or 0),
    latency_line('edit→diagnostics', stats.edit_to_publish_ms),
    latency_line('analysis', stats.analysis_ms),
    'lexer kernel: ' .. tostring(stats.kernel),
    string.format('resident memory: %.1f MiB', (stats.rss_bytes or 0) / (1024 * 1024)),
  }
  if type(stats.p99_budget_ms) == 'number' then
    lines[5] = lines[5] .. '; P99 budget ' .. milliseconds(stats.p99_budget_ms)
  end
  return lines
end

--- Asks the server of the current buffer (or any perfectex server) for `perfectex/stats`; passes the reply
--- to `callback`, or shows it when there is no callback.
function M.stats(callback)
  local client = M.buffer_client(0) or M.clients()[1]
  if not client then
    notify('no server is running', vim.log.levels.WARN)
    return
  end
  call(client, 'request', 'perfectex/stats', nil, function(err, result)
    if err then
      notify('perfectex/stats failed: ' .. tostring(err.message or err), vim.log.levels.ERROR)
    elseif callback then
      callback(result)
    else
      notify(table.concat(M.format_stats(result), '\n'))
    end
  end, vim.api.nvim_get_current_buf())
end

-- vim.diagnostic counts columns in bytes, the server in the client's position encoding.
local function lsp_position(bufnr, lnum, col, encoding)
  return { line = lnum, character = vim.lsp.util.character_offset(bufnr, lnum, col, encoding) }
end

local function lsp_diagnostic(bufnr, diagnostic, encoding)
  local lsp_data = diagnostic.user_data and diagnostic.user_data.lsp or {}
  return {
    range = {
      start = lsp_position(bufnr, diagnostic.lnum, diagnostic.col, encoding),
      ['end'] = lsp_position(bufnr, diagnostic.end_lnum or diagnostic.lnum, diagnostic.end_col or diagnostic.col, encoding),
    },
    severity = diagnostic.severity,
    message = diagnostic.message,
    source = diagnostic.source,
    code = diagnostic.code or lsp_data.code,
    data = lsp_data.data,
  }
end

local function is_quickfix(action)
  return action.kind == nil or action.kind == 'quickfix' or vim.startswith(action.kind, 'quickfix.')
end

--- Asks the server for the quick fixes of the perfectex diagnostics on the cursor line and applies one:
--- the one titled `opts.title` if given, the only one if there is one, else the one picked with vim.ui.select.
--- Calls `opts.on_applied(action)` after applying.
function M.fix(opts)
  opts = opts or {}
  local bufnr = vim.api.nvim_get_current_buf()
  local client = M.buffer_client(bufnr)
  if not client then
    notify('no perfectex server is attached to this buffer', vim.log.levels.WARN)
    return
  end
  local encoding = client.offset_encoding or 'utf-16'
  local line = vim.api.nvim_win_get_cursor(0)[1] - 1
  local namespace = vim.lsp.diagnostic.get_namespace(client.id)
  local diagnostics = vim.tbl_map(function(diagnostic)
    return lsp_diagnostic(bufnr, diagnostic, encoding)
  end, vim.diagnostic.get(bufnr, { namespace = namespace, lnum = line }))
  local text = vim.api.nvim_buf_get_lines(bufnr, line, line + 1, false)[1] or ''
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = lsp_position(bufnr, line, 0, encoding), ['end'] = lsp_position(bufnr, line, #text, encoding) },
    context = { diagnostics = diagnostics, only = { 'quickfix' } },
  }
  call(client, 'request', 'textDocument/codeAction', params, function(err, actions)
    if err then
      notify('textDocument/codeAction failed: ' .. tostring(err.message or err), vim.log.levels.ERROR)
      return
    end
    actions = vim.tbl_filter(function(action)
      return is_quickfix(action) and (opts.title == nil or action.title == opts.title)
    end, actions or {})
    if #actions == 0 then
      notify(opts.title and ('no quick fix titled "' .. opts.title .. '" on this line') or 'no quick fix on this line', vim.log.levels.WARN)
      return
    end
    local function apply(action)
      if not action then
        return
      end
      if action.edit then
        vim.lsp.util.apply_workspace_edit(action.edit, encoding)
      end
      local command = type(action.command) == 'table' and action.command or (type(action.command) == 'string' and action) or nil
      if command then
        call(client, 'request', 'workspace/executeCommand', { command = command.command, arguments = command.arguments }, nil, bufnr)
      end
      if opts.on_applied then
        opts.on_applied(action)
      end
    end
    if #actions == 1 then
      apply(actions[1])
    else
      vim.ui.select(actions, {
        prompt = 'perfectex quick fix',
        format_item = function(action)
          return action.title
        end,
      }, apply)
    end
  end, bufnr)
end

--- Configures the plugin and starts the server for TeX, LaTeX and BibTeX buffers.
--- opts (all optional): cmd (default { 'perfectex' }), settings (the server's `perfectex` section, e.g.
--- { rules = { ['unclosed-environment'] = 'warning' }, p99BudgetMs = 10 }), on_attach, on_exit,
--- capabilities, handlers. Calling it again sends new settings to the running servers at once.
function M.setup(opts)
  opts = check_options(opts)
  options = {
    cmd = opts.cmd or { 'perfectex' },
    settings = opts.settings or {},
    on_attach = opts.on_attach,
    on_exit = opts.on_exit,
    capabilities = opts.capabilities,
    handlers = opts.handlers,
  }
  warned_not_executable = false

  for _, client in ipairs(M.clients()) do
    client.config.settings = { perfectex = options.settings }
    call(client, 'notify', 'workspace/didChangeConfiguration', { settings = client.config.settings })
  end

  local group = vim.api.nvim_create_augroup('perfectex', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = M.filetypes,
    callback = function(args)
      M.attach(args.buf)
    end,
    desc = 'Start or reuse the perfectex language server',
  })
  vim.api.nvim_create_user_command('PerfectexRestart', function()
    M.restart()
  end, { desc = 'Restart the perfectex language servers', force = true })
  vim.api.nvim_create_user_command('PerfectexStats', function()
    M.stats()
  end, { desc = 'Show the perfectex server statistics', force = true })
  vim.api.nvim_create_user_command('PerfectexFix', function(command)
    M.fix({ title = command.args ~= '' and command.args or nil })
  end, { desc = 'Apply a perfectex quick fix on the cursor line', nargs = '?', force = true })

  attach_all()
end

return M

-- Headless Neovim test of the plugin's pieces that need no server: project roots by the server's markers,
-- option checking in setup(), the message for a missing executable, language ids, the statistics lines,
-- and the nvim-lspconfig and Neovim 0.11 configurations. Run with the plugin on the runtimepath.

local T = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h') .. '/harness.lua')

T.run('nvim plugin test', 30000, function()
  local perfectex = require('perfectex')
  local root = require('perfectex.root')
  local base = vim.fn.resolve(vim.fn.tempname())

  -- Project roots: project markers at any level beat a nearer .git, .git beats the file's directory.
  T.write(base .. '/repo/.git/HEAD', 'ref: refs/heads/main\n')
  T.write(base .. '/repo/book/chapters/intro.tex', '')
  T.equal(root.find(base .. '/repo/book/chapters/intro.tex'), base .. '/repo', 'the git root')
  for i, marker in ipairs({ '.latexmkrc', 'latexmkrc', '.perfectex.json' }) do
    local project = base .. '/project' .. i .. '/outer'
    T.write(project .. '/' .. marker, '')
    T.write(project .. '/inner/.git/HEAD', 'ref: refs/heads/main\n')
    T.equal(root.find(project .. '/inner/sub/doc.tex'), project, 'the root marked by ' .. marker)
  end
  T.write(base .. '/loose/notes.tex', '')
  T.equal(root.find(base .. '/loose/notes.tex'), base .. '/loose', 'the directory of a file outside any project')
  T.equal(root.find(''), vim.loop.cwd(), 'the root of an unnamed buffer')
  vim.cmd('cd ' .. vim.fn.fnameescape(base .. '/repo/book'))
  T.equal(root.find('chapters/intro.tex'), base .. '/repo', 'the root of a relative path')

  -- setup() rejects malformed options with a message that names them.
  local function setup_error(opts)
    local ok, err = pcall(perfectex.setup, opts)
    T.check(not ok, 'setup accepted ' .. vim.inspect(opts))
    return tostring(err)
  end
  T.check(setup_error({ cmd = {} }):find('cmd must start with the server executable', 1, true), 'empty cmd')
  T.check(setup_error({ cmd = { 'perfectex', 3 } }):find('cmd[2] must be a string, got number', 1, true), 'cmd with a number')
  T.check(setup_error({ cmd = 'perfectex' }):find('cmd: expected table', 1, true), 'cmd as a string')
  T.check(setup_error({ settings = 'rules' }):find('settings: expected table', 1, true), 'settings as a string')
  T.check(setup_error({ setings = {} }):find("unknown option 'setings'", 1, true), 'a misspelt option')
  T.check(setup_error('perfectex'):find('opts: expected table', 1, true), 'options as a string')

  -- A server that cannot be run: one clear error, no client, Neovim keeps working.
  local messages = {}
  vim.notify = function(message, level)
    table.insert(messages, { message = message, level = level })
  end
  perfectex.setup({ cmd = { base .. '/no-such-perfectex', 'serve' } })
  vim.cmd('edit ' .. vim.fn.fnameescape(base .. '/loose/notes.tex'))
  vim.bo.filetype = 'tex'
  vim.cmd('edit ' .. vim.fn.fnameescape(base .. '/loose/refs.bib'))
  vim.bo.filetype = 'bib'
  T.equal(#perfectex.clients(), 0, 'clients started for a missing executable')
  T.equal(#messages, 1, 'error messages for a missing executable')
  T.check(messages[1].message:find('no-such-perfectex\' is not an executable', 1, true), messages[1].message)
  T.equal(messages[1].level, vim.log.levels.ERROR, 'the level of that message')

  T.equal(perfectex.language_id(0, 'tex'), 'latex', 'the language id of tex buffers')
  T.equal(perfectex.language_id(0, 'plaintex'), 'tex', 'the language id of plaintex buffers')
  T.equal(perfectex.language_id(0, 'bib'), 'bibtex', 'the language id of bib buffers')
  T.equal(perfectex.language_id(0, 'latex'), 'latex', 'the language id of latex buffers')

  local summary = { count = 30, p50 = 1.25, p90 = 2.5, p99 = 4.125, p999 = 6, max = 12.75 }
  T.equal(perfectex.format_stats({
    uptime_ms = 12500, documents = 2, requests = 40, errors = 1, edits = 30, publishes = 33, analyses = 31,
    edit_to_publish_ms = summary, analysis_ms = { count = 0 }, kernel = 'avx2', rss_bytes = 52428800, p99_budget_ms = 20,
  }), {
    'uptime: 12.5 s',
    'open documents: 2',
    'requests: 40 (errors: 1)',
    'edits: 30, analyses: 31, diagnostics published: 33',
    'edit→diagnostics (30 samples): p50 1.25 ms, p90 2.50 ms, p99 4.13 ms, p99.9 6.00 ms, max 12.8 ms; P99 budget 20.0 ms',
    'analysis: no samples yet',
    'lexer kernel: avx2',
    'resident memory: 50.0 MiB',
  }, 'the statistics lines')

  -- The ready configurations for nvim-lspconfig and for Neovim 0.11's vim.lsp.config.
  local lspconfig = require('perfectex.lspconfig').default_config
  T.equal(lspconfig.cmd, { 'perfectex' }, 'the lspconfig command')
  T.equal(lspconfig.filetypes, perfectex.filetypes, 'the lspconfig filetypes')
  T.equal(lspconfig.root_dir(base .. '/repo/book/chapters/intro.tex'), base .. '/repo', 'the lspconfig root')
  T.equal(lspconfig.get_language_id(0, 'bib'), 'bibtex', 'the lspconfig language id')
  local files = vim.api.nvim_get_runtime_file('lsp/perfectex.lua', false)
  T.equal(#files, 1, 'lsp/perfectex.lua files on the runtimepath')
  local native = dofile(files[1])
  T.equal(native.filetypes, perfectex.filetypes, 'the vim.lsp.config filetypes')
  local buffer = vim.fn.bufadd(base .. '/repo/book/chapters/intro.tex')
  local found
  native.root_dir(buffer, function(dir)
    found = dir
  end)
  T.equal(found, base .. '/repo', 'the vim.lsp.config root')

  vim.fn.delete(base, 'rf')
end)

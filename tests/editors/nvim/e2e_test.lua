-- Headless Neovim end-to-end test of the plugin against the real server: it opens a copy of the truncated
-- corpus document in a project marked by .latexmkrc, waits for the unclosed-environment diagnostic in
-- vim.diagnostic.get(), applies the server's quick fix through require('perfectex').fix(), checks that the
-- diagnostic goes away, changes a rule severity live, reads the statistics, restarts, and stops cleanly.
-- Needs PERFECTEX_SERVER (the binary) and PERFECTEX_CORPUS_DIR (../shared/corpus); CTest passes both.

local T = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h') .. '/harness.lua')

local wait_ms = 20000

local function code_of(diagnostic)
  return diagnostic.code or (diagnostic.user_data and diagnostic.user_data.lsp and diagnostic.user_data.lsp.code)
end

local function with_code(bufnr, code)
  return vim.tbl_filter(function(diagnostic)
    return code_of(diagnostic) == code
  end, vim.diagnostic.get(bufnr))
end

local function open(path, filetype)
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  vim.bo.filetype = filetype
  return vim.api.nvim_get_current_buf()
end

T.run('nvim end-to-end test', 90000, function()
  local server = T.check(os.getenv('PERFECTEX_SERVER'), 'PERFECTEX_SERVER is not set')
  local corpus = T.check(os.getenv('PERFECTEX_CORPUS_DIR'), 'PERFECTEX_CORPUS_DIR is not set')
  local perfectex = require('perfectex')
  T.log(vim.lsp.start and 'attaching with vim.lsp.start (Neovim 0.8+)' or 'attaching with vim.lsp.start_client (Neovim 0.7)')

  local project = vim.fn.resolve(vim.fn.tempname()) .. '/thesis'
  T.write(project .. '/.latexmkrc', '$pdf_mode = 1;\n')
  local original = T.read(corpus .. '/perf/perf_smoke_big.tex')
  local copy = project .. '/chapters/smoke.tex'
  T.write(copy, original)

  local exits = {}
  perfectex.setup({
    cmd = { server, 'serve', '--stdio' },
    on_exit = function(code, signal, client_id)
      exits[client_id] = { code = code, signal = signal }
    end,
  })

  -- The diagnostic arrives at the right place.
  local smoke = open(copy, 'tex')
  T.wait(wait_ms, function()
    return perfectex.buffer_client(smoke) ~= nil
  end, 'a perfectex client on the tex buffer')
  local client = perfectex.buffer_client(smoke)
  T.equal(client.config.root_dir, project, 'the project root found by .latexmkrc')
  T.wait(wait_ms, function()
    return #with_code(smoke, 'unclosed-environment') > 0
  end, 'the unclosed-environment diagnostic')
  local unclosed = with_code(smoke, 'unclosed-environment')
  T.equal(#unclosed, 1, 'unclosed-environment diagnostics')
  T.equal({ unclosed[1].lnum, unclosed[1].col }, { 25, 0 }, 'the 0-based line and column of unclosed-environment')
  T.equal(vim.api.nvim_buf_get_lines(smoke, 25, 26, false)[1], '\\begin{document}', 'the line it points at')
  T.equal(unclosed[1].severity, vim.diagnostic.severity.ERROR, 'its severity')
  T.equal(unclosed[1].source, 'perfectex', 'its source')

  -- The quick fix, applied through the plugin, removes it.
  vim.api.nvim_win_set_cursor(0, { 26, 0 })
  local applied
  perfectex.fix({
    title = 'Insert \\end{document}',
    on_applied = function(action)
      applied = action
    end,
  })
  T.wait(wait_ms, function()
    return applied ~= nil
  end, 'the quick fix to be applied')
  T.equal(applied.kind, 'quickfix', 'the kind of the applied action')
  local lines = vim.api.nvim_buf_get_lines(smoke, 0, -1, false)
  while lines[#lines] == '' do
    table.remove(lines)
  end
  T.equal(lines[#lines], '\\end{document}', 'the last line after the fix')
  T.wait(wait_ms, function()
    return #with_code(smoke, 'unclosed-environment') == 0
  end, 'unclosed-environment to disappear after the fix')
  T.equal(T.read(copy), original, 'the file on disk (the fix edits the buffer only)')

  -- A rule severity set again through setup() reaches the running server at once.
  perfectex.setup({
    cmd = { server, 'serve', '--stdio' },
    settings = { rules = { ['mismatched-environment'] = 'hint' } },
    on_exit = function(code, signal, client_id)
      exits[client_id] = { code = code, signal = signal }
    end,
  })
  local mismatch_path = project .. '/mismatch.tex'
  T.write(mismatch_path, '\\begin{itemize}\n\\item x\n\\end{enumerate}\n')
  local mismatch = open(mismatch_path, 'tex')
  T.wait(wait_ms, function()
    return #with_code(mismatch, 'mismatched-environment') > 0
  end, 'the mismatched-environment diagnostic')
  T.equal(perfectex.buffer_client(mismatch).id, client.id, 'the client of a second buffer in the same project')
  local hinted = with_code(mismatch, 'mismatched-environment')[1]
  T.equal({ hinted.lnum, hinted.col, hinted.end_col }, { 2, 0, 15 }, 'the range of mismatched-environment')
  T.equal(hinted.severity, vim.diagnostic.severity.HINT, 'the severity set in the settings')

  -- Statistics from the same server.
  local stats
  perfectex.stats(function(result)
    stats = result
  end)
  T.wait(wait_ms, function()
    return stats ~= nil
  end, 'perfectex/stats')
  T.equal(stats.documents, 2, 'open documents in the statistics')
  T.check(stats.edits >= 1, 'edits in the statistics: ' .. tostring(stats.edits))
  T.check(stats.edit_to_publish_ms.count >= 1, 'edit_to_publish_ms.count: ' .. tostring(stats.edit_to_publish_ms.count))

  -- Restart: the old server exits cleanly and a new one takes both buffers, with the same settings.
  local restarted = false
  perfectex.restart(function()
    restarted = true
  end)
  T.wait(wait_ms, function()
    return restarted
  end, 'the restart')
  T.equal(exits[client.id], { code = 0, signal = 0 }, 'the exit of the first server')
  T.wait(wait_ms, function()
    return perfectex.buffer_client(mismatch) ~= nil
  end, 'a client on the buffers after the restart')
  local second = perfectex.buffer_client(mismatch)
  T.check(second.id ~= client.id, 'a new client after the restart')
  T.equal(perfectex.buffer_client(smoke).id, second.id, 'the client of the first buffer after the restart')
  vim.diagnostic.reset(nil, mismatch)
  T.wait(wait_ms, function()
    local found = with_code(mismatch, 'mismatched-environment')[1]
    return found ~= nil and found.severity == vim.diagnostic.severity.HINT
  end, 'the hint again from the new server')

  -- Stop: the server answers shutdown and exit and ends with status 0.
  vim.lsp.stop_client(second.id)
  T.wait(wait_ms, function()
    return exits[second.id] ~= nil
  end, 'the server to exit')
  T.equal(exits[second.id], { code = 0, signal = 0 }, 'the exit of the second server')
  T.equal(#perfectex.clients(), 0, 'perfectex clients left running')
  vim.fn.delete(vim.fn.fnamemodify(project, ':h'), 'rf')
end)

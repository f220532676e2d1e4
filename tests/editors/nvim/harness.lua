-- Shared by the headless Neovim tests: checks that say what failed, waits that give up, a watchdog so a
-- test never hangs, and the exit protocol: exit 0 on success, or the message and a traceback on stderr
-- and exit 1 on failure.

local T = {}

function T.check(condition, message)
  if not condition then
    error(message, 2)
  end
  return condition
end

function T.equal(actual, expected, what)
  if not vim.deep_equal(actual, expected) then
    error(string.format('%s: expected %s, got %s', what, vim.inspect(expected), vim.inspect(actual)), 2)
  end
end

function T.wait(timeout_ms, condition, what)
  if not vim.wait(timeout_ms, condition, 20) then
    error(string.format('timed out after %d ms waiting for %s', timeout_ms, what), 2)
  end
end

function T.log(message)
  io.stdout:write(message, '\n')
end

--- Writes `text` to the file at `path`, creating its directory.
function T.write(path, text)
  vim.fn.mkdir(vim.fn.fnamemodify(path, ':h'), 'p')
  local file = assert(io.open(path, 'wb'))
  file:write(text)
  file:close()
end

function T.read(path)
  local file = assert(io.open(path, 'rb'))
  local text = file:read('*a')
  file:close()
  return text
end

--- Runs `body`, then quits Neovim with 0 if it returned and 1 if it raised or outlived `timeout_ms`.
function T.run(name, timeout_ms, body)
  local watchdog = vim.loop.new_timer()
  watchdog:start(timeout_ms, 0, vim.schedule_wrap(function()
    io.stderr:write(string.format('%s: FAILED: still running after %d ms\n', name, timeout_ms))
    vim.cmd('cquit 1')
  end))
  local ok, err = xpcall(body, debug.traceback)
  watchdog:stop()
  watchdog:close()
  if ok then
    T.log(name .. ': passed')
    vim.cmd('qall!')
  else
    io.stderr:write(string.format('%s: FAILED: %s\n', name, tostring(err)))
    vim.cmd('cquit 1')
  end
end

return T

-- Finds a document's project root by the same markers as the perfectex server: the nearest directory
-- holding .latexmkrc, latexmkrc or .perfectex.json, else the nearest holding .git, else the document's own
-- directory. Works on Neovim 0.7 (no vim.fs), so it walks the parents with vim.loop.fs_stat.

local M = {}

M.project_markers = { '.latexmkrc', 'latexmkrc', '.perfectex.json' }
M.repository_markers = { '.git' }

local function parent(dir)
  local up = vim.fn.fnamemodify(dir, ':h')
  if up == dir then
    return nil
  end
  return up
end

--- The nearest directory from `dir` upwards that holds one of `markers`, or nil.
local function nearest(dir, markers)
  while dir do
    for _, marker in ipairs(markers) do
      if vim.loop.fs_stat(dir .. '/' .. marker) then
        return dir
      end
    end
    dir = parent(dir)
  end
  return nil
end

--- The project root for the file at `path` (absolute or relative); the working directory for an empty path.
function M.find(path)
  if path == nil or path == '' then
    return vim.loop.cwd()
  end
  local dir = vim.fn.fnamemodify(path, ':p:h')
  return nearest(dir, M.project_markers) or nearest(dir, M.repository_markers) or dir
end

return M

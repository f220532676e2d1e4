-- The perfectex server for Neovim 0.11's built-in configuration (`:help lsp-config`): with this plugin on
-- the runtimepath, `vim.lsp.enable('perfectex')` starts it for TeX, LaTeX and BibTeX buffers, and
-- `vim.lsp.config('perfectex', { settings = { perfectex = { ... } } })` changes its settings.

local perfectex = require('perfectex')
local root = require('perfectex.root')

return {
  cmd = { 'perfectex' },
  filetypes = perfectex.filetypes,
  root_dir = function(bufnr, on_dir)
    on_dir(root.find(vim.api.nvim_buf_get_name(bufnr)))
  end,
  get_language_id = perfectex.language_id,
  settings = { perfectex = {} },
}

-- A ready perfectex server definition for nvim-lspconfig's `configs` table (lspconfig itself sends the
-- settings after initialize). Register and start it with:
--   require('lspconfig.configs').perfectex = require('perfectex.lspconfig')
--   require('lspconfig').perfectex.setup({ settings = { perfectex = { rules = { ['unused-label'] = 'off' } } } })

local perfectex = require('perfectex')
local root = require('perfectex.root')

return {
  default_config = {
    cmd = { 'perfectex' },
    filetypes = perfectex.filetypes,
    root_dir = function(fname)
      return root.find(fname)
    end,
    get_language_id = perfectex.language_id,
    settings = { perfectex = {} },
  },
  docs = {
    description = [[
perfectex, a LaTeX and BibTeX language server: diagnostics with stable rule ids and quick fixes.
Settings live under `perfectex`: `rules` maps rule ids to "off", "error", "warning", "information" or
"hint", and `p99BudgetMs` sets the latency budget.
]],
  },
}

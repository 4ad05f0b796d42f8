-- tacit.config: a module's settings from its defaults and the keys the
-- user passes to setup() (shared by tacit and tacit.nextedit).
local M = {}

--- The settings: a copy of `defaults` with each key of `opts` in place of
--- the default, except `keys`, merged key by key (a key the user leaves
--- out keeps its default; false turns one off). Neither table is changed.
function M.merge(defaults, opts)
  opts = opts or {}
  local config = vim.tbl_extend('force', vim.deepcopy(defaults), opts)
  config.keys = vim.tbl_extend('force', defaults.keys, opts.keys or {})
  return config
end

return M

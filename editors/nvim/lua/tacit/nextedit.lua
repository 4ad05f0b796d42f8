-- tacit.nextedit: next edits in Neovim, from `tacit lsp`'s tacit/nextEdit.
--
-- After an edit (leaving insert mode, or a change in normal mode) the
-- server is asked where the same edit applies next; a mark is drawn at
-- that place. The jump key moves there and previews the change: the text
-- it removes is highlighted, the text it inserts is shown as ghost text
-- after it. <Tab> (while the preview is shown) applies it and marks the
-- next place; the apply-all key applies it at every place at once.
-- A model server's predicted edit (setting nextEditModel) arrives later
-- than the synthesised ones: the server's tacit/nextEditReady notification
-- asks again, and it is marked, previewed and applied the same way.
-- Inlay hints at the sites are left to the user (vim.lsp.inlay_hint on
-- Neovim 0.10+): the mark already shows the next one.
-- Works with Neovim 0.7 and newer.
local M = {}

local api = vim.api
local HAS_011 = vim.fn.has('nvim-0.11') == 1
local NS = api.nvim_create_namespace('tacit_nextedit')

local defaults = {
  enabled = true,
  -- Normal-mode keys; false turns one off.
  keys = { jump = '<M-n>', apply = '<Tab>', apply_all = '<M-a>' },
  delay_ms = 100,           -- after an edit, ask this much later
  hl_mark = 'TacitNextEditMark',
  hl_removed = 'TacitNextEditRemoved',
  hl_added = 'TacitNextEditAdded',
}
M.config = vim.deepcopy(defaults)

-- The last answer: { bufnr, client_id, enc, edit = result of tacit/nextEdit }
local cur = nil
local preview = nil -- { bufnr } while a preview (and its <Tab>) is shown
local timer = nil

local function client_for(bufnr)
  local list = HAS_011 and vim.lsp.get_clients({ bufnr = bufnr, name = 'tacit' }) or vim.lsp.buf_get_clients(bufnr)
  for _, c in pairs(list) do
    if c.name == 'tacit' then return c end
  end
end

local function c_request(c, method, params, handler, bufnr)
  if HAS_011 then return c:request(method, params, handler, bufnr) end
  return c.request(method, params, handler, bufnr)
end

local function clear_marks()
  for _, b in ipairs(api.nvim_list_bufs()) do
    if api.nvim_buf_is_valid(b) then api.nvim_buf_clear_namespace(b, NS, 0, -1) end
  end
end

local function end_preview()
  if preview and M.config.keys.apply and api.nvim_buf_is_valid(preview.bufnr) then
    pcall(vim.keymap.del, 'n', M.config.keys.apply, { buffer = preview.bufnr })
  end
  preview = nil
end

-- The mark at the next place, when it is in an open buffer.
local function draw_mark()
  clear_marks()
  if not cur or not cur.edit then return end
  local b = vim.uri_to_bufnr(cur.edit.uri)
  if not api.nvim_buf_is_loaded(b) then return end
  local r = cur.edit.range
  if r.start.line >= api.nvim_buf_line_count(b) then return end
  api.nvim_buf_set_extmark(b, NS, r.start.line, 0, {
    virt_text = { { string.format('  next edit %d/%d: %s', cur.edit.index, cur.edit.total, cur.edit.title or ''),
      M.config.hl_mark } },
    virt_text_pos = 'eol',
  })
end

--- Ask the server for the next place after the cursor (async); cb(edit or nil).
function M.refresh(bufnr, cb)
  bufnr = bufnr or api.nvim_get_current_buf()
  local c = client_for(bufnr)
  if not c then
    if cb then cb(nil) end
    return
  end
  local pos = api.nvim_win_get_cursor(0)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = pos[1] - 1, character = pos[2] },
  }
  c_request(c, 'tacit/nextEdit', params, function(err, result)
    if err or result == nil or result == vim.NIL then
      cur = nil
    else
      cur = { bufnr = bufnr, client_id = c.id, enc = c.offset_encoding or 'utf-16', edit = result }
    end
    draw_mark()
    if cb then cb(cur and cur.edit) end
  end, bufnr)
end

--- The last answer of tacit/nextEdit (nil if none).
function M.current() return cur and cur.edit end

local function byte_col(b, line, character, enc)
  local text = api.nvim_buf_get_lines(b, line, line + 1, false)[1] or ''
  if enc == 'utf-8' then return math.min(character, #text) end
  local ok, col = pcall(vim.str_byteindex, text, character, enc == 'utf-16')
  return ok and col or math.min(character, #text)
end

--- Jump to the next place and preview its change.
function M.jump()
  if not cur then return false end
  local e = cur.edit
  local b = vim.uri_to_bufnr(e.uri)
  if b ~= api.nvim_get_current_buf() then
    vim.fn.bufload(b)
    api.nvim_win_set_buf(0, b)
  end
  local sl, el = e.range.start.line, e.range['end'].line
  local sc = byte_col(b, sl, e.range.start.character, cur.enc)
  local ec = byte_col(b, el, e.range['end'].character, cur.enc)
  api.nvim_win_set_cursor(0, { sl + 1, sc })
  clear_marks()
  if ec > sc or el > sl then
    api.nvim_buf_set_extmark(b, NS, sl, sc, { end_row = el, end_col = ec, hl_group = M.config.hl_removed })
  end
  local lines = vim.split(e.newText, '\n', { plain = true })
  local first = table.remove(lines, 1)
  local vl = {}
  for _, l in ipairs(lines) do vl[#vl + 1] = { { l, M.config.hl_added } } end
  api.nvim_buf_set_extmark(b, NS, el, 0, {
    virt_text = { { '  → ' .. first, M.config.hl_added } },
    virt_text_pos = 'eol',
    virt_lines = #vl > 0 and vl or nil,
  })
  end_preview()
  preview = { bufnr = b }
  if M.config.keys.apply then
    vim.keymap.set('n', M.config.keys.apply, function() M.apply() end, { buffer = b, desc = 'tacit: apply the next edit' })
  end
  return true
end

local function apply_edits(edits)
  local by_uri = {}
  for _, t in ipairs(edits) do
    by_uri[t.uri] = by_uri[t.uri] or {}
    table.insert(by_uri[t.uri], { range = t.range, newText = t.newText })
  end
  vim.lsp.util.apply_workspace_edit({ changes = by_uri }, cur.enc)
end

--- Apply the previewed change, then mark the next place.
function M.apply()
  if not cur then return false end
  apply_edits({ cur.edit })
  end_preview()
  clear_marks()
  cur = nil
  vim.defer_fn(function() M.refresh() end, M.config.delay_ms)
  return true
end

--- Apply the change at every place.
function M.apply_all()
  if not cur then return false end
  apply_edits(cur.edit.edits or { cur.edit })
  end_preview()
  clear_marks()
  cur = nil
  return true
end

--- tacit/nextEditReady {uri}: the model server's edit is there; ask again
--- when that buffer is the current one and no preview is shown.
function M.on_ready(p)
  if not M.config.enabled or preview or type(p) ~= 'table' or type(p.uri) ~= 'string' then return end
  vim.schedule(function()
    local bufnr = api.nvim_get_current_buf()
    if vim.uri_from_bufnr(bufnr) == p.uri and not preview then M.refresh(bufnr) end
  end)
end

local function schedule_refresh(bufnr)
  if not M.config.enabled or not client_for(bufnr) then return end
  if timer then timer:stop() end
  timer = timer or vim.loop.new_timer()
  timer:start(M.config.delay_ms, 0, vim.schedule_wrap(function()
    if api.nvim_get_current_buf() == bufnr then M.refresh(bufnr) end
  end))
end

function M.setup(opts)
  M.config = require('tacit.config').merge(defaults, opts)
  local keys = M.config.keys
  vim.cmd('highlight default link TacitNextEditMark DiagnosticHint')
  vim.cmd('highlight default link TacitNextEditRemoved DiffDelete')
  vim.cmd('highlight default link TacitNextEditAdded DiffAdd')
  if keys.jump then vim.keymap.set('n', keys.jump, M.jump, { desc = 'tacit: jump to the next edit' }) end
  if keys.apply_all then vim.keymap.set('n', keys.apply_all, M.apply_all, { desc = 'tacit: apply the edit everywhere' }) end
  local group = api.nvim_create_augroup('tacit_nextedit', { clear = true })
  api.nvim_create_autocmd({ 'InsertLeave', 'TextChanged' }, {
    group = group,
    callback = function(ev)
      if preview then end_preview() end
      schedule_refresh(ev.buf)
    end,
  })
end

return M

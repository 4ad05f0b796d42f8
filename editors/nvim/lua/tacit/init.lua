-- tacit.nvim: ghost-text suggestions from `tacit lsp`.
--
-- Starts one `tacit lsp` client per project root (nearest folder above the
-- buffer holding a root marker such as .git, else the current folder),
-- asks it for `textDocument/inlineCompletion` while the user types (debounced,
-- asynchronous, the previous request cancelled), draws the first of the
-- returned alternatives as ghost text with extmarks (the others a key away,
-- with their position shown: 2/3), and inserts all of it, its next word or
-- its next line on a key. An item's range may reach past the cursor (closers
-- an auto-pairs mapping inserted): accepting it whole replaces them.
-- Acceptances are reported back to the server. With a model server
-- configured, the embedded answer comes at once and the server's, if it
-- beats the deadline, follows as the notification tacit/suggestionUpdated:
-- it replaces the ghost text if the cursor has not moved since the request.
--
-- A single-line acceptance from a key is typed (the mapping returns the
-- text as keys, not remapped), so that `.` repeats it and the buffer's
-- indent rules apply as if the user had typed it (an accepted `}` is
-- re-indented); a multi-line one is set with nvim_buf_set_text, keeping the
-- suggestion's own indentation.
--
-- State for status lines (M.state, M.statusline) is cached from the
-- server's notifications and replies; nothing here ever waits for the
-- server.
--
-- Works with Neovim 0.7 and newer: only APIs that 0.7 has are used
-- (vim.lsp.start_client, buf_attach_client, extmarks with virt_text
-- 'overlay'/'eol' and virt_lines, vim.keymap, nvim_create_autocmd,
-- vim.on_key); 0.10's inline virtual text and 0.11's client methods behind
-- version checks.
local M = {}

local api = vim.api
local uv = vim.uv or vim.loop
local fn = vim.fn

local NS = api.nvim_create_namespace('tacit')
local HAS_011 = fn.has('nvim-0.11') == 1
local HAS_INLINE_VT = fn.has('nvim-0.10') == 1 -- virt_text_pos = 'inline'

local defaults = {
  -- Command that runs the server; the root of the project is its cwd.
  cmd = { 'tacit', 'lsp' },
  cmd_env = nil,
  -- A folder holding one of these (nearest above the file) is the root;
  -- else the current folder.
  root_markers = { '.git' },
  -- Sent as initializationOptions (see docs/editors.md for the keys).
  init_options = vim.empty_dict(),
  -- Ask for a suggestion this long after the last keystroke.
  debounce_ms = 75,
  -- Suggestions on when Neovim starts (toggle with :TacitToggle; per
  -- buffer: :TacitToggle buffer, or vim.b.tacit_enabled = true/false).
  enabled = true,
  -- nil: every buffer that is a file; a list of filetypes: only those; a
  -- table { python = true, markdown = false, ['*'] = true }: per filetype,
  -- '*' for the others (default true).
  filetypes = nil,
  exclude_filetypes = { 'help', 'gitcommit', 'gitrebase', 'TelescopePrompt', 'netrw' },
  -- Buffers larger than this (bytes) are off unless enabled for the buffer;
  -- false: no limit.
  max_file_size = 1024 * 1024,
  -- Suggestions asked for per request (the server's `alternatives`
  -- setting), cycled with keys.next / keys.prev.
  alternatives = 3,
  -- Insert-mode keys; false turns one off. When no suggestion is shown each
  -- key does what it did before setup(): the mapping it had, else the key
  -- itself (an Alt key: <Esc> and the key, as Neovim does unmapped).
  keys = {
    accept = '<Tab>',
    accept_word = '<M-Right>',
    accept_line = '<M-l>',
    dismiss = '<C-]>',
    trigger = '<M-\\>',
    next = '<M-]>',
    prev = '<M-[>',
  },
  -- Highlight group of the ghost text: a grey (#808080, cterm 244) unless
  -- defined; the position among alternatives uses TacitSuggestionCount.
  hl_group = 'TacitSuggestion',
  -- Ask again when entering insert mode (e.g. after `o`).
  trigger_on_insert_enter = true,
}

M.config = vim.deepcopy(defaults)

-- State.
local clients = {} -- root -> client id
local bufs = {} -- bufnr -> { timer, req, sugg, tick, ... }
local stats = { requests = 0, answers = 0, shown = 0, accepted = 0, partial = 0, dismissed = 0, updates = 0 }
local last = { error = nil, latency_ms = nil }
local server_stats = {} -- client id -> the last tacit/stats reply (asked for without waiting)
local progress = {} -- client id -> { done = bool, message = string, percentage = number }
local WAITING_MS = 300 -- a request out this long shows as "waiting for server"
local did_setup = false

-- Version-neutral calls on a client object (methods since 0.11).
local function c_request(client, method, params, handler, bufnr)
  if HAS_011 then return client:request(method, params, handler, bufnr) end
  return client.request(method, params, handler, bufnr)
end
local function c_notify(client, method, params)
  if HAS_011 then return client:notify(method, params) end
  return client.notify(method, params)
end
local function c_cancel(client, id)
  if HAS_011 then return client:cancel_request(id) end
  return client.cancel_request(id)
end
local function c_stopped(client)
  if HAS_011 then return client:is_stopped() end
  return client.is_stopped()
end

local function split_lines(s)
  local out, i = {}, 1
  while true do
    local j = s:find('\n', i, true)
    if not j then
      out[#out + 1] = s:sub(i)
      return out
    end
    out[#out + 1] = s:sub(i, j - 1)
    i = j + 1
  end
end

-- Byte column <-> LSP character offset, for 'utf-8', 'utf-16', 'utf-32'.
local function units(b, enc)
  if b < 0x80 or b >= 0xC0 then
    if enc == 'utf-16' and b >= 0xF0 then return 2 end
    return 1
  end
  return 0 -- continuation byte
end

local function byte_to_lsp(line, col, enc)
  if enc == 'utf-8' then return col end
  local n = 0
  for i = 1, math.min(col, #line) do
    n = n + units(line:byte(i), enc)
  end
  return n
end

local function lsp_to_byte(line, ch, enc)
  if enc == 'utf-8' then return math.min(ch, #line) end
  local n, i = 0, 1
  while i <= #line do
    local b = line:byte(i)
    if units(b, enc) > 0 then
      if n >= ch then return i - 1 end
      n = n + units(b, enc)
    end
    i = i + 1
  end
  return #line
end

local function get_line(bufnr, row)
  return api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1] or ''
end

local function in_insert()
  local m = api.nvim_get_mode().mode
  return m:sub(1, 1) == 'i'
end

local function state(bufnr)
  local st = bufs[bufnr]
  if not st then
    st = {}
    bufs[bufnr] = st
  end
  return st
end

local function get_client(bufnr)
  local st = bufs[bufnr]
  if not st or not st.client_id then return nil end
  local client = vim.lsp.get_client_by_id(st.client_id)
  if not client or c_stopped(client) then return nil end
  return client
end

---------------------------------------------------------------------------
-- Ghost text
---------------------------------------------------------------------------

-- Bytes right of the cursor that accepting s replaces: its closers, if they
-- are still there (typing may have moved past them).
local function replaced(s, line)
  local c = s.closers or ''
  if c ~= '' and line:sub(s.col + 1, s.col + #c) == c then return #c end
  return 0
end

local function display(s)
  -- Tabs in virtual text would show as one cell; expand them.
  local ts = vim.bo.tabstop > 0 and vim.bo.tabstop or 8
  return (s:gsub('\t', string.rep(' ', ts)))
end

-- The first line at the cursor: inline on 0.10+, else over the empty rest
-- of the line (or over closers the suggestion replaces), else at the end of
-- the line; the other lines as virtual lines below. With alternatives, their
-- position (2/3) follows the first line.
local function render(bufnr)
  api.nvim_buf_clear_namespace(bufnr, NS, 0, -1)
  local st = bufs[bufnr]
  local s = st and st.sugg
  if not s then return end
  local lines = split_lines(s.text)
  local hl = M.config.hl_group
  local opts = { hl_mode = 'combine', priority = 5000 }
  local line = get_line(bufnr, s.row)
  local rest = line:sub(s.col + 1)
  local nrep = replaced(s, line)
  local covered = rest == '' or (nrep > 0 and rest:sub(nrep + 1) == '')
  local count = st.alts and #st.alts > 1 and { ' ' .. st.idx .. '/' .. #st.alts, 'TacitSuggestionCount' } or nil
  local col = math.min(s.col, #line)
  if lines[1] ~= '' then
    if HAS_INLINE_VT and not covered then
      opts.virt_text_pos = 'inline'
    elseif covered then
      opts.virt_text_pos = 'overlay'
    else
      opts.virt_text_pos = 'eol'
    end
    opts.virt_text = { { display(lines[1]), hl } }
    if count and opts.virt_text_pos ~= 'inline' then opts.virt_text[2] = count; count = nil end
  end
  if #lines > 1 then
    local vl = {}
    for i = 2, #lines do
      vl[#vl + 1] = { { display(lines[i]), hl } }
    end
    opts.virt_lines = vl
  end
  s.mark = api.nvim_buf_set_extmark(bufnr, NS, s.row, col, opts)
  if count then
    api.nvim_buf_set_extmark(bufnr, NS, s.row, col, { virt_text = { count }, virt_text_pos = 'eol', priority = 5000 })
  end
end

local function clear(bufnr)
  local st = bufs[bufnr]
  if st then
    st.sugg = nil
    st.alts = nil
  end
  if api.nvim_buf_is_valid(bufnr) then
    api.nvim_buf_clear_namespace(bufnr, NS, 0, -1)
  end
end

local function cancel(bufnr)
  local st = bufs[bufnr]
  if not st then return end
  if st.timer then st.timer:stop() end
  if st.req then
    local client = vim.lsp.get_client_by_id(st.req.client_id)
    if client and not c_stopped(client) then pcall(c_cancel, client, st.req.id) end
    st.req = nil
  end
end

-- Keep the suggestion if the buffer still agrees with it: the cursor at its
-- anchor, or ahead of it by characters the user typed that match its start
-- (those are consumed). Returns true when a suggestion is still shown.
local function sync(bufnr)
  local st = bufs[bufnr]
  local s = st and st.sugg
  if not s then return false end
  if api.nvim_get_current_buf() ~= bufnr or not in_insert() then
    clear(bufnr)
    return false
  end
  local cur = api.nvim_win_get_cursor(0)
  local row, col = cur[1] - 1, cur[2]
  local line = get_line(bufnr, row)
  -- (the rest of the line must be as it was: an auto-pairs mapping that
  -- inserted a closer while the user typed through calls for a new answer,
  -- whose range replaces that closer)
  if row == s.row and col >= s.col and line:sub(1, s.col) == s.prefix and line:sub(col + 1) == s.after then
    local typed = line:sub(s.col + 1, col)
    if typed == '' then return true end
    -- typed through: keep the alternatives that it matches, shortened
    local keep, cur = {}, nil
    if not typed:find('\n', 1, true) then
      for _, a in ipairs(st.alts or { s }) do
        if a.text:sub(1, #typed) == typed and #a.text > #typed then
          a.text = a.text:sub(#typed + 1)
          a.col = col
          a.prefix = line:sub(1, col)
          a.after = line:sub(col + 1)
          a.typed = (a.typed or '') .. typed
          keep[#keep + 1] = a
          if a == s then cur = #keep end
        end
      end
    end
    if #keep > 0 then
      st.alts = keep
      st.idx = cur or 1
      st.sugg = keep[st.idx]
      render(bufnr)
      return true
    end
  end
  clear(bufnr)
  return false
end

---------------------------------------------------------------------------
-- Requests
---------------------------------------------------------------------------

local show -- defined below (used by the request and the notification)

local function strip_snippet(s)
  s = s:gsub('%$%{%d+:([^}]*)%}', '%1'):gsub('%$%{%d+%}', ''):gsub('%$%d+', '')
  return (s:gsub('\\([%$}\\])', '%1'))
end

-- Turn an InlineCompletionItem (or CompletionItem) into a suggestion anchored
-- at the cursor, or nil when it does not fit there.
local function to_suggestion(bufnr, item, row, col, enc)
  local text = item.insertText
  if item.textEdit and item.textEdit.newText then -- CompletionItem
    text = item.textEdit.newText
  end
  if type(text) == 'table' then text = text.value and strip_snippet(text.value) end
  if type(text) ~= 'string' then text = item.label end
  if type(text) ~= 'string' or text == '' then return nil end
  if item.insertTextFormat == 2 then text = strip_snippet(text) end
  local range = item.range or (item.textEdit and (item.textEdit.range or item.textEdit.replace))
  local line = get_line(bufnr, row)
  local scol, ecol = col, col
  if range then
    if range.start.line ~= row or range['end'].line ~= row then return nil end
    scol = lsp_to_byte(line, range.start.character, enc)
    ecol = lsp_to_byte(line, range['end'].character, enc)
    if scol > col or ecol < col then return nil end
  end
  local typed = line:sub(scol + 1, col)
  if text:sub(1, #typed) ~= typed then return nil end
  text = text:sub(#typed + 1)
  if text == '' then return nil end
  return {
    row = row,
    col = col,
    text = text,
    full = text,
    lead = typed, -- the part of the item's text before the cursor
    closers = line:sub(col + 1, ecol), -- what right of the cursor the text replaces
    prefix = line:sub(1, col),
    after = line:sub(col + 1), -- the rest of the line when it was asked for
    item = item,
  }
end

-- Show items (best first) at the cursor where they were asked for: the
-- ones that fit, distinct texts. Returns true when one is shown.
show = function(bufnr, items, at)
  local list, seen = {}, {}
  for _, item in ipairs(type(items) == 'table' and items or {}) do
    local sg = to_suggestion(bufnr, item, at.row, at.col, at.enc)
    if sg and not seen[sg.text] then
      seen[sg.text] = true
      sg.client_id = at.client_id
      sg.method = at.method
      sg.uri = at.uri
      sg.position = at.position
      list[#list + 1] = sg
    end
  end
  if #list == 0 then return false end
  clear(bufnr)
  local st = state(bufnr)
  st.alts = list
  st.idx = 1
  st.sugg = list[1]
  stats.shown = stats.shown + 1
  render(bufnr)
  return true
end

local function request(bufnr, manual)
  if not manual and not M.enabled_for(bufnr) then return end
  if not api.nvim_buf_is_valid(bufnr) or api.nvim_get_current_buf() ~= bufnr or not in_insert() then
    return
  end
  local client = get_client(bufnr)
  if not client or not client.initialized then return end
  local st = state(bufnr)
  cancel(bufnr)
  local caps = client.server_capabilities or {}
  local method
  if caps.inlineCompletionProvider then
    method = 'textDocument/inlineCompletion'
  elseif caps.completionProvider then
    method = 'textDocument/completion'
  else
    return
  end
  local cur = api.nvim_win_get_cursor(0)
  local row, col = cur[1] - 1, cur[2]
  local line = get_line(bufnr, row)
  local enc = client.offset_encoding or 'utf-16'
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = row, character = byte_to_lsp(line, col, enc) },
    context = { triggerKind = manual and 1 or 2 },
  }
  if method == 'textDocument/completion' then
    params.context = { triggerKind = 1 }
  end
  local tick = api.nvim_buf_get_changedtick(bufnr)
  local t0 = uv.hrtime()
  local req = { client_id = client.id, t0 = uv.now() }
  -- where this request asked: a later tacit/suggestionUpdated applies here only
  st.asked = { client_id = client.id, row = row, col = col, tick = tick, enc = enc, method = method,
               position = params.position }
  stats.requests = stats.requests + 1
  local ok, id = c_request(client, method, params, function(err, result)
    if st.req ~= req then return end -- superseded or cancelled
    st.req = nil
    M._status_changed()
    last.latency_ms = (uv.hrtime() - t0) / 1e6
    if #M.latencies < 10000 then M.latencies[#M.latencies + 1] = last.latency_ms end
    if err then
      if err.code ~= -32800 then last.error = method .. ': ' .. (err.message or vim.inspect(err)) end
      return
    end
    stats.answers = stats.answers + 1
    if not api.nvim_buf_is_valid(bufnr) or api.nvim_get_current_buf() ~= bufnr or not in_insert() then
      return
    end
    if api.nvim_buf_get_changedtick(bufnr) ~= tick then return end
    local now = api.nvim_win_get_cursor(0)
    if now[1] - 1 ~= row or now[2] ~= col then return end
    local items = result
    if type(result) == 'table' and result.items then items = result.items end
    show(bufnr, items, { client_id = client.id, method = method, uri = params.textDocument.uri,
                         position = params.position, row = row, col = col, enc = enc })
  end, bufnr)
  if ok then
    req.id = id
    st.req = req
    -- a status line shows "waiting for server" once it is out WAITING_MS
    vim.defer_fn(function() if st.req == req then M._status_changed() end end, WAITING_MS)
  else
    clients[st.root or ''] = nil
    st.client_id = nil
  end
end

local function schedule(bufnr)
  local st = state(bufnr)
  if not st.timer then st.timer = uv.new_timer() end
  st.timer:stop()
  st.timer:start(M.config.debounce_ms, 0, vim.schedule_wrap(function()
    request(bufnr, false)
  end))
end

---------------------------------------------------------------------------
-- Accepting
---------------------------------------------------------------------------

-- A word: optional blanks, then a run of word characters (bytes of
-- non-ASCII characters count as such, so none is split) or of punctuation.
local function next_word(text)
  return text:match('^%s*[%w_\128-\255]+') or text:match('^%s*[^%w_%s\128-\255]+') or text:match('^%s+') or text
end

local function next_line(text)
  return text:match('^[^\n]+') or text:match('^\n[^\n]*') or text
end

-- Tell the server what was accepted. A full acceptance runs the item's own
-- command (LSP 3.18: executed after inserting the item; tacit's is
-- "tacit.accept"); a partial one, or an item without a command, sends the
-- notification tacit/didAccept {textDocument, text, acceptedText}.
local function report(s, accepted, full)
  local client = vim.lsp.get_client_by_id(s.client_id)
  if not client or c_stopped(client) then return end
  local item = s.item
  if full and type(item.command) == 'table' and item.command.command then
    c_request(client, 'workspace/executeCommand', {
      command = item.command.command,
      arguments = item.command.arguments,
    }, function() end)
    return
  end
  c_notify(client, 'tacit/didAccept', {
    textDocument = { uri = s.uri },
    position = s.position,
    text = s.lead .. s.full,
    acceptedText = s.lead .. (s.typed or '') .. accepted,
  })
end

local function part_of(s, kind)
  if kind == 'word' then return next_word(s.text) elseif kind == 'line' then return next_line(s.text) end
  return s.text
end

-- After part of s was inserted and the cursor put after it: report it, and
-- hide s or keep its rest shown from the cursor (the other alternatives go).
local function accepted(bufnr, s, part, full)
  local st = bufs[bufnr]
  report(s, part, full)
  if full or not st or st.sugg ~= s then
    stats.accepted = stats.accepted + (full and 1 or 0)
    clear(bufnr)
    return
  end
  stats.partial = stats.partial + 1
  local cur = api.nvim_win_get_cursor(0)
  s.typed = (s.typed or '') .. part
  s.text = s.text:sub(#part + 1)
  s.row, s.col = cur[1] - 1, cur[2]
  s.prefix = get_line(bufnr, s.row):sub(1, s.col)
  s.after = get_line(bufnr, s.row):sub(s.col + 1)
  st.alts = { s }
  st.idx = 1
  render(bufnr)
end

-- Re-indent line row (0-based) of the current buffer with the buffer's rules
-- (=) when it starts with a closer, as typing it would (the keys type single-
-- line parts, so this is for text set directly); keeps the cursor on its
-- character.
local function reindent_closer(bufnr, row)
  local line = get_line(bufnr, row)
  if not line:match('^%s*[%]%)}]') then return end
  if vim.bo[bufnr].indentexpr == '' and not vim.bo[bufnr].cindent and not vim.bo[bufnr].smartindent then return end
  local cur = api.nvim_win_get_cursor(0)
  local before = #line:match('^%s*')
  pcall(vim.cmd, 'silent keepjumps ' .. (row + 1) .. 'normal! ==')
  local delta = #get_line(bufnr, row):match('^%s*') - before
  if cur[1] - 1 == row then cur[2] = math.max(0, cur[2] + delta) end
  api.nvim_win_set_cursor(0, cur)
end

--- Insert the shown suggestion (kind 'all', 'word' or 'line') with
--- nvim_buf_set_text (the keys type single-line parts instead: see M._key).
--- Returns false when none is shown.
function M.accept(kind)
  kind = kind or 'all'
  local bufnr = api.nvim_get_current_buf()
  if not sync(bufnr) then return false end
  local st = bufs[bufnr]
  local s = st.sugg
  local part = part_of(s, kind)
  local full = #part >= #s.text
  local lines = split_lines(part)
  local end_col = s.col
  if full then end_col = s.col + replaced(s, get_line(bufnr, s.row)) end
  st.applying = true
  local ok, err = pcall(api.nvim_buf_set_text, bufnr, s.row, s.col, s.row, end_col, lines)
  if not ok then
    st.applying = false
    clear(bufnr)
    last.error = 'accept: ' .. tostring(err)
    return false
  end
  local new_row = s.row + #lines - 1
  local new_col = (#lines == 1 and s.col or 0) + #lines[#lines]
  api.nvim_win_set_cursor(0, { new_row + 1, new_col })
  if s.prefix:match('^%s*$') then reindent_closer(bufnr, s.row) end
  st.applying = false
  accepted(bufnr, s, part, full)
  return true
end

local function termcodes(k) return api.nvim_replace_termcodes(k, true, false, true) end

-- The keys (in <> notation, as the <expr> mapping returns them) that type
-- part of the shown suggestion (the buffer cannot change in an <expr>
-- mapping), or nil when it has to be set instead (several lines, or the
-- cursor is not where it was drawn).
local function accept_keys(kind)
  local bufnr = api.nvim_get_current_buf()
  local st = bufs[bufnr]
  local s = st and st.sugg
  if not s then return nil end
  local cur = api.nvim_win_get_cursor(0)
  local line = get_line(bufnr, s.row)
  if cur[1] - 1 ~= s.row or cur[2] ~= s.col or line:sub(1, s.col) ~= s.prefix then return nil end
  local part = part_of(s, kind)
  if part:find('\n', 1, true) then return nil end
  local full = #part >= #s.text
  local keys = ''
  if full and replaced(s, line) > 0 then keys = string.rep('<Del>', fn.strchars(s.closers)) end
  -- typed literally: tabs behind CTRL-V (no 'expandtab'); the mapping is
  -- not remapped, so auto-pairs mappings do not fire
  keys = keys .. part:gsub('<', '<lt>'):gsub('\t', '<C-V><Tab>')
  M._pending = { bufnr = bufnr, s = s, part = part, full = full }
  return keys .. '<Cmd>lua require("tacit")._typed()<CR>'
end

-- Runs after the keys of accept_keys were typed.
function M._typed()
  local p = M._pending
  M._pending = nil
  if p and api.nvim_buf_is_valid(p.bufnr) then accepted(p.bufnr, p.s, p.part, p.full) end
end

--- Show the next (delta 1) or previous (-1) alternative. Returns false
--- when none is shown.
function M.cycle(delta)
  local bufnr = api.nvim_get_current_buf()
  if not sync(bufnr) then return false end
  local st = bufs[bufnr]
  local n = #st.alts
  st.idx = (st.idx - 1 + (delta or 1)) % n + 1
  st.sugg = st.alts[st.idx]
  render(bufnr)
  return true
end
function M.next() return M.cycle(1) end
function M.prev() return M.cycle(-1) end

function M.accept_word() return M.accept('word') end
function M.accept_line() return M.accept('line') end

--- Hide the suggestion. Returns false when none is shown.
function M.dismiss()
  local bufnr = api.nvim_get_current_buf()
  local st = bufs[bufnr]
  local shown = st and st.sugg ~= nil
  cancel(bufnr)
  clear(bufnr)
  if shown then stats.dismissed = stats.dismissed + 1 end
  return shown
end

--- Ask now (also when suggestions are toggled off).
function M.trigger()
  request(api.nvim_get_current_buf(), true)
end

--- True when a suggestion is shown in the current buffer.
function M.is_visible()
  local st = bufs[api.nvim_get_current_buf()]
  return st ~= nil and st.sugg ~= nil
end

--- The shown suggestion: { text, row, col, index, count } (0-based row,
--- byte col; index among count alternatives) or nil.
function M.get_suggestion()
  local st = bufs[api.nvim_get_current_buf()]
  local s = st and st.sugg
  if not s then return nil end
  return { text = s.text, row = s.row, col = s.col, index = st.idx or 1, count = st.alts and #st.alts or 1 }
end

M.namespace = NS
--- Request-to-reply times in ms, in order (the first 10000; for benchmarks).
M.latencies = {}

---------------------------------------------------------------------------
-- Clients and buffers
---------------------------------------------------------------------------

local function find_root(bufnr)
  local name = api.nvim_buf_get_name(bufnr)
  local dir = fn.fnamemodify(name, ':p:h')
  while dir and dir ~= '' do
    for _, marker in ipairs(M.config.root_markers) do
      if uv.fs_stat(dir .. '/' .. marker) then return dir end
    end
    local parent = fn.fnamemodify(dir, ':h')
    if parent == dir then break end
    dir = parent
  end
  -- No marker: the current folder, unless that is the home folder or /
  -- (too much to index); then the file's own folder.
  local cwd = uv.cwd()
  local home = uv.os_homedir()
  if cwd == '/' or (home and fn.fnamemodify(cwd, ':p') == fn.fnamemodify(home, ':p')) then
    return fn.fnamemodify(name, ':p:h')
  end
  return cwd
end

-- Whether the filetype settings allow ft.
local function ft_allowed(ft)
  local f = M.config.filetypes
  if vim.tbl_contains(M.config.exclude_filetypes or {}, ft) then return false end
  if type(f) ~= 'table' then return true end
  if vim.tbl_islist(f) and #f > 0 then return vim.tbl_contains(f, ft) end
  if f[ft] ~= nil then return f[ft] and true or false end
  return f['*'] ~= false
end

local function buf_bytes(bufnr)
  return api.nvim_buf_get_offset(bufnr, api.nvim_buf_line_count(bufnr))
end

-- Why suggestions are off in bufnr ('buffer', 'global', 'filetype',
-- 'large file', 'not a file'), or nil when they are on. vim.b.tacit_enabled
-- (true/false, set by :TacitEnable buffer etc.) overrides the rest.
local function off_reason(bufnr)
  if not api.nvim_buf_is_valid(bufnr) then return 'not a file' end
  if vim.bo[bufnr].buftype ~= '' or api.nvim_buf_get_name(bufnr) == '' then return 'not a file' end
  local b = vim.b[bufnr].tacit_enabled
  if b == false or b == 0 then return 'buffer' end
  if b == true or b == 1 then return nil end
  if not M.config.enabled then return 'global' end
  if not ft_allowed(vim.bo[bufnr].filetype) then return 'filetype' end
  local max = M.config.max_file_size
  if max and max > 0 and api.nvim_buf_is_loaded(bufnr) and buf_bytes(bufnr) > max then return 'large file' end
  return nil
end

--- True when suggestions come by themselves in bufnr (default: current).
function M.enabled_for(bufnr)
  return off_reason(bufnr or api.nvim_get_current_buf()) == nil
end

-- Whether bufnr gets a server (a buffer that is only toggled off keeps it,
-- so that turning it on is instant).
local function wanted(bufnr)
  if not api.nvim_buf_is_valid(bufnr) or not api.nvim_buf_is_loaded(bufnr) then return false end
  local why = off_reason(bufnr)
  return why == nil or why == 'global'
end

local function capabilities()
  local caps = vim.lsp.protocol.make_client_capabilities()
  caps.textDocument = caps.textDocument or {}
  caps.textDocument.inlineCompletion = { dynamicRegistration = false }
  caps.general = caps.general or {}
  if not caps.general.positionEncodings then
    caps.general.positionEncodings = { 'utf-16', 'utf-8' }
  end
  caps.experimental = { tacit = { didAccept = true, suggestionUpdated = true, nextEditReady = true } }
  return caps
end

-- tacit/suggestionUpdated: a model server's answer, after the embedded one
-- was shown for the same request. Shown if nothing moved meanwhile.
local function on_update(client_id, p)
  if type(p) ~= 'table' or type(p.textDocument) ~= 'table' or type(p.position) ~= 'table' then return end
  local bufnr = vim.uri_to_bufnr(p.textDocument.uri)
  local st = bufs[bufnr]
  local at = st and st.asked
  if not at or at.client_id ~= client_id or st.req then return end -- a newer request is on its way
  if not api.nvim_buf_is_valid(bufnr) or api.nvim_get_current_buf() ~= bufnr or not in_insert() then return end
  if api.nvim_buf_get_changedtick(bufnr) ~= at.tick then return end
  local now = api.nvim_win_get_cursor(0)
  if now[1] - 1 ~= at.row or now[2] ~= at.col then return end
  if p.position.line ~= at.position.line or p.position.character ~= at.position.character then return end
  if show(bufnr, p.items, { client_id = client_id, method = at.method, uri = p.textDocument.uri,
                            position = at.position, row = at.row, col = at.col, enc = at.enc }) then
    stats.updates = (stats.updates or 0) + 1
  end
end

-- $/progress from the server: the workspace index being built. When it is
-- swapped in, ask again for the buffer being typed in (its first answers
-- came from the open files only).
local function on_progress(client_id, result)
  local v = result and result.value
  if type(v) ~= 'table' then return end
  local p = progress[client_id] or {}
  progress[client_id] = p
  if v.kind == 'end' then
    p.done = true
    p.message = v.message or 'indexed'
    p.percentage = nil
    local bufnr = api.nvim_get_current_buf()
    local st = bufs[bufnr]
    if st and st.client_id == client_id and not st.sugg and M.enabled_for(bufnr) and in_insert() then
      request(bufnr, false)
    end
  else
    p.done = false
    p.message = v.message or v.title or 'indexing'
    if type(v.percentage) == 'number' then p.percentage = v.percentage end
  end
  M._status_changed()
end

local function start_client(root, bufnr)
  local cmd = M.config.cmd
  if type(cmd) == 'string' then cmd = { cmd, 'lsp' } end
  if fn.executable(cmd[1]) ~= 1 then
    last.error = 'not executable: ' .. cmd[1]
    if not M._warned then
      M._warned = true
      vim.notify('tacit: ' .. last.error .. ' (set cmd in require("tacit").setup{})', vim.log.levels.WARN)
    end
    return nil
  end
  local config = {
    name = 'tacit',
    cmd = cmd,
    cmd_cwd = root,
    cmd_env = M.config.cmd_env,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    init_options = M.config.init_options,
    capabilities = capabilities(),
    flags = { debounce_text_changes = M.config.debounce_ms },
    handlers = {
      ['$/progress'] = function(err, result, ctx, cfg)
        local default = vim.lsp.handlers['$/progress']
        local r
        if default then r = default(err, result, ctx, cfg) end
        pcall(on_progress, ctx.client_id, result)
        return r
      end,
      ['tacit/suggestionUpdated'] = function(_, result, ctx)
        pcall(on_update, ctx.client_id, result)
      end,
      ['tacit/nextEditReady'] = function(_, result)
        pcall(function() require('tacit.nextedit').on_ready(result) end)
      end,
    },
    on_init = function(client, result)
      -- Neovim 0.7 does not read positionEncoding itself.
      local pe = result and result.capabilities and result.capabilities.positionEncoding
      if pe == 'utf-8' or pe == 'utf-16' or pe == 'utf-32' then client.offset_encoding = pe end
      if result and result.serverInfo then client.tacit_server_info = result.serverInfo end
      vim.schedule(M._status_changed)
    end,
    on_exit = function(code, signal, client_id)
      M.last_exit = { code = code, signal = signal, client_id = client_id }
      if clients[root] == client_id then clients[root] = nil end
      if (code ~= 0 or (signal or 0) ~= 0) and not M._exiting then
        last.error = string.format('server exited (code %s, signal %s)', tostring(code), tostring(signal))
      end
      vim.schedule(M._status_changed)
    end,
  }
  local id
  if HAS_011 then
    id = vim.lsp.start(config, {
      bufnr = bufnr,
      reuse_client = function(c, conf) return c.name == 'tacit' and c.root_dir == conf.root_dir end,
    })
  else
    id = vim.lsp.start_client(config)
  end
  return id
end

local function attach(bufnr)
  if not wanted(bufnr) then return end
  local st = state(bufnr)
  if st.client_id and get_client(bufnr) then return end
  local root = find_root(bufnr)
  local id = clients[root]
  if id then
    local c = vim.lsp.get_client_by_id(id)
    if not c or c_stopped(c) then id = nil end
  end
  if HAS_011 then
    -- vim.lsp.start reuses the root's client and attaches the buffer.
    id = start_client(root, bufnr)
  elseif not id then
    id = start_client(root, bufnr)
  end
  if not id then return end
  clients[root] = id
  st.root = root
  st.client_id = id
  if not HAS_011 then vim.lsp.buf_attach_client(bufnr, id) end
end

---------------------------------------------------------------------------
-- Keys, autocommands, commands
---------------------------------------------------------------------------

-- What a key did before setup(), as a function that runs it from our
-- <expr> mapping (returns keys to type, in <> notation): the old mapping,
-- else the key itself; Neovim types an unmapped Alt key in insert mode as
-- <Esc> and the key, and so does this.
local function fallthrough(lhs)
  local old = fn.maparg(lhs, 'i', false, true)
  if type(old) == 'table' and (old.rhs or old.callback) and old.buffer ~= 1 then
    return function()
      local keys = old.rhs or ''
      if old.callback then
        local r = old.callback()
        keys = old.expr == 1 and type(r) == 'string' and r or ''
      elseif old.expr == 1 then
        keys = fn.eval(keys)
      end
      if old.noremap == 1 then return keys end
      api.nvim_feedkeys(termcodes(keys), 'm', false) -- remapped, after what is typed already
      return ''
    end
  end
  local alt = lhs:match('^<[MmAa]%-(.+)>$')
  local keys = lhs
  if alt then keys = '<Esc>' .. (#alt == 1 and alt:gsub('<', '<lt>') or ('<' .. alt .. '>')) end
  return function() return keys end
end

local function map(lhs, action)
  if not lhs or lhs == '' then return end
  local before = fallthrough(lhs)
  vim.keymap.set('i', lhs, function()
    if action == 'trigger' then return '<Cmd>lua require("tacit").trigger()<CR>' end
    if not M.is_visible() then return before() end
    if action == 'accept' or action == 'accept_word' or action == 'accept_line' then
      local keys = accept_keys(action == 'accept' and 'all' or action == 'accept_word' and 'word' or 'line')
      if keys then return keys end
    end
    return '<Cmd>lua require("tacit")._key("' .. action .. '")<CR>'
  end, { expr = true, silent = true, desc = 'tacit: ' .. action })
end

function M._key(action)
  if action == 'accept' then M.accept('all')
  elseif action == 'accept_word' then M.accept('word')
  elseif action == 'accept_line' then M.accept('line')
  elseif action == 'dismiss' then M.dismiss()
  elseif action == 'trigger' then M.trigger()
  elseif action == 'next' then M.cycle(1)
  elseif action == 'prev' then M.cycle(-1)
  end
end

local function on_text_changed()
  local bufnr = api.nvim_get_current_buf()
  local st = bufs[bufnr]
  if not st or not st.client_id or st.applying then return end
  if not sync(bufnr) then
    cancel(bufnr)
    if M.enabled_for(bufnr) then schedule(bufnr) end
  end
end

-- Hide ghost text wherever insert mode was left by a route without
-- InsertLeave (<C-c>, a mapping): on the next event outside insert mode.
local function clear_outside_insert()
  if in_insert() then return end
  for b, st in pairs(bufs) do
    if st.sugg then
      cancel(b)
      clear(b)
    end
  end
end

---------------------------------------------------------------------------
-- State at a glance
---------------------------------------------------------------------------

--- The plugin's state in bufnr (default: the current one), from what is
--- cached (never waits): 'off', 'indexing', 'ready', 'waiting' (for the
--- server: starting, or a request out 300 ms or more) or 'down'; and a
--- detail (why off, the percentage indexed, the error).
function M.state(bufnr)
  bufnr = bufnr or api.nvim_get_current_buf()
  local why = off_reason(bufnr)
  if why then return 'off', why end
  local st = bufs[bufnr]
  if not st or not st.client_id then
    if last.error and (last.error:find('not executable', 1, true) or last.error:find('exited', 1, true)) then
      return 'down', last.error
    end
    return 'off', 'not attached'
  end
  local client = vim.lsp.get_client_by_id(st.client_id)
  if not client or c_stopped(client) then return 'down', last.error or 'the server stopped' end
  if not client.initialized then return 'waiting', 'starting' end
  if st.req and uv.now() - (st.req.t0 or uv.now()) >= WAITING_MS then return 'waiting', 'a request is out' end
  local p = progress[client.id]
  if p and not p.done then return 'indexing', p.percentage end
  return 'ready', nil
end

--- A short text for a status line, e.g. 'tacit: ready', 'tacit: indexing
--- 42%', 'tacit: off', 'tacit: waiting for server', 'tacit: server down'.
function M.statusline(bufnr)
  local state, detail = M.state(bufnr)
  if state == 'indexing' then
    return 'tacit: indexing' .. (type(detail) == 'number' and string.format(' %d%%', detail) or '')
  elseif state == 'waiting' then
    return 'tacit: waiting for server'
  elseif state == 'down' then
    return 'tacit: server down'
  end
  return 'tacit: ' .. state
end

local shown_status
-- Redraw status lines when the state they show changed.
function M._status_changed()
  local ok, now = pcall(M.statusline)
  if ok and now ~= shown_status then
    shown_status = now
    vim.schedule(function() pcall(vim.cmd, 'redrawstatus') end)
  end
end

-- Ask the server for its counters, without waiting: the answer is cached
-- for the next :TacitStatus.
local function refresh_server_stats(client)
  pcall(c_request, client, 'tacit/stats', vim.empty_dict(), function(err, r)
    if not err and type(r) == 'table' then server_stats[client.id] = r end
  end)
end

--- A report of the plugin's state, as lines (never waits for the server:
--- its counters are the last ones it sent, and a fresh copy is asked for).
function M.status_lines()
  local out = {}
  local bufnr = api.nvim_get_current_buf()
  local st = bufs[bufnr]
  local state, detail = M.state(bufnr)
  out[#out + 1] = M.statusline(bufnr) .. (state == 'off' and detail and (' (' .. detail .. ')') or '')
  out[#out + 1] = 'suggestions: ' .. (M.config.enabled and 'on' or 'off') .. ' globally'
    .. (vim.b[bufnr].tacit_enabled ~= nil and (', ' .. (vim.b[bufnr].tacit_enabled and 'on' or 'off') .. ' in this buffer') or '')
  out[#out + 1] = 'command: ' .. table.concat(type(M.config.cmd) == 'table' and M.config.cmd or { M.config.cmd }, ' ')
  local client = get_client(bufnr)
  if client then
    local caps = client.server_capabilities or {}
    local info = client.tacit_server_info
    out[#out + 1] = string.format('server: %s (client %d, root %s)%s',
      client.initialized and 'running' or 'starting, not initialized yet', client.id, st.root or '?',
      info and (' ' .. (info.name or '') .. ' ' .. (info.version or '')) or '')
    out[#out + 1] = string.format('inline completion: %s, completion fallback: %s, position encoding: %s',
      caps.inlineCompletionProvider and 'yes' or 'no', caps.completionProvider and 'yes' or 'no',
      client.offset_encoding or 'utf-16')
    local p = progress[client.id]
    if p then out[#out + 1] = 'index: ' .. (p.done and '' or 'building: ') .. (p.message or '') end
    local r = server_stats[client.id]
    if type(r) == 'table' then
      out[#out + 1] = string.format(
        'server: engine %s%s, %s files, mode %s, threshold %s; requests %s, computed %s, cache hits %s, accepted %s',
        tostring(r.engine), r.indexing and ' (indexing)' or '', tostring(r.indexedFiles), tostring(r.mode),
        tostring(r.threshold), tostring(r.requests), tostring(r.computed), tostring(r.cacheHits), tostring(r.accepted))
    else
      out[#out + 1] = "server: counters asked for (:TacitStatus again shows them)"
    end
    if client.initialized then refresh_server_stats(client) end
  elseif st and st.root then
    out[#out + 1] = 'server: not running for ' .. st.root
  else
    out[#out + 1] = 'server: this buffer is not attached'
  end
  out[#out + 1] = string.format('client: requests %d, answers %d, shown %d, accepted %d, partial %d, dismissed %d',
    stats.requests, stats.answers, stats.shown, stats.accepted, stats.partial, stats.dismissed)
  if last.latency_ms then out[#out + 1] = string.format('last latency: %.1f ms', last.latency_ms) end
  if last.error then out[#out + 1] = 'last error: ' .. last.error end
  return out
end

function M.status()
  api.nvim_echo({ { table.concat(M.status_lines(), '\n') } }, false, {})
end

--- Suggestions on (true), off (false) or flipped (nil); scope 'buffer' for
--- the current buffer only (vim.b.tacit_enabled), else everywhere.
function M.toggle(on, scope)
  local bufnr = api.nvim_get_current_buf()
  if scope == 'buffer' then
    if on == nil then on = not M.enabled_for(bufnr) end
    vim.b[bufnr].tacit_enabled = on
    if on then
      attach(bufnr)
    else
      cancel(bufnr)
      clear(bufnr)
    end
  else
    if on == nil then on = not M.config.enabled end
    M.config.enabled = on
    if not on then
      for b in pairs(bufs) do
        cancel(b)
        clear(b)
      end
    else
      attach(bufnr)
    end
  end
  M._status_changed()
  api.nvim_echo({ { 'tacit: suggestions ' .. (on and 'on' or 'off') .. (scope == 'buffer' and ' in this buffer' or '') } },
    false, {})
end

--- Stop the servers and start one again for the current buffer (other
--- buffers reattach when entered).
function M.restart()
  for root, id in pairs(clients) do
    local c = vim.lsp.get_client_by_id(id)
    if c and not c_stopped(c) then
      if HAS_011 then c:stop() else c.stop() end
    end
    clients[root] = nil
  end
  for b, st in pairs(bufs) do
    cancel(b)
    clear(b)
    st.client_id = nil
  end
  last.error = nil
  attach(api.nvim_get_current_buf())
end

-- The ghost text's colours: a grey unlike Comment in the default scheme,
-- unless the user (or a colour scheme) defined the groups.
local function highlights()
  vim.cmd('highlight default TacitSuggestion guifg=#808080 ctermfg=244')
  vim.cmd('highlight default TacitSuggestionCount guifg=#5f87af ctermfg=67')
end

function M.setup(opts)
  opts = opts or {}
  M.config = require('tacit.config').merge(defaults, opts)
  local keys = M.config.keys
  local io = M.config.init_options
  if type(io) == 'table' and io.alternatives == nil and M.config.alternatives then
    io = vim.deepcopy(io)
    io.alternatives = M.config.alternatives
    M.config.init_options = io
  end
  if did_setup then return end
  did_setup = true

  highlights()
  for action, lhs in pairs(keys) do
    if lhs then map(lhs, action) end
  end
  if opts.next_edits ~= false then require('tacit.nextedit').setup(opts.next_edits) end -- tacit/nextedit.lua

  local group = api.nvim_create_augroup('tacit', { clear = true })
  api.nvim_create_autocmd('ColorScheme', { group = group, callback = highlights })
  api.nvim_create_autocmd({ 'BufEnter', 'BufWinEnter', 'FileType', 'BufFilePost' }, {
    group = group,
    callback = function(ev)
      attach(ev.buf)
      M._status_changed()
    end,
  })
  api.nvim_create_autocmd({ 'TextChangedI', 'TextChangedP' }, { group = group, callback = on_text_changed })
  api.nvim_create_autocmd('CursorMovedI', {
    group = group,
    callback = function(ev)
      local st = bufs[ev.buf]
      if st and not st.applying then sync(ev.buf) end
    end,
  })
  api.nvim_create_autocmd('InsertEnter', {
    group = group,
    callback = function(ev)
      local st = bufs[ev.buf]
      if st and st.client_id and M.enabled_for(ev.buf) and M.config.trigger_on_insert_enter then schedule(ev.buf) end
    end,
  })
  api.nvim_create_autocmd({ 'InsertLeave', 'BufLeave' }, {
    group = group,
    callback = function(ev)
      cancel(ev.buf)
      clear(ev.buf)
    end,
  })
  -- <C-c> leaves insert mode without InsertLeave (nor ModeChanged): catch
  -- the key itself, and any later event outside insert mode.
  vim.on_key(function(key)
    if key == '\3' and next(bufs) then vim.schedule(clear_outside_insert) end
  end, NS)
  api.nvim_create_autocmd({ 'CursorMoved', 'CmdlineEnter', 'ModeChanged', 'WinLeave' }, {
    group = group,
    callback = clear_outside_insert,
  })
  api.nvim_create_autocmd({ 'BufUnload', 'BufWipeout' }, {
    group = group,
    callback = function(ev)
      local st = bufs[ev.buf]
      if st then
        cancel(ev.buf)
        if st.timer then st.timer:close() end
        bufs[ev.buf] = nil
      end
    end,
  })
  api.nvim_create_autocmd('VimLeavePre', {
    group = group,
    callback = function() M._exiting = true end,
  })
  attach(api.nvim_get_current_buf())
end

return M

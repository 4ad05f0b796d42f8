-- tacit.nvim: ghost-text suggestions from `tacit lsp`.
--
-- Starts one `tacit lsp` client per project root (nearest folder above the
-- buffer holding a root marker such as .git, else the current folder),
-- asks it for `textDocument/inlineCompletion` while the user types (debounced,
-- asynchronous, the previous request cancelled), draws the first suggestion
-- as ghost text with extmarks, and inserts all of it, its next word or its
-- next line on a key. Acceptances are reported back to the server. With a
-- model server configured, the embedded answer comes at once and the
-- server's, if it beats the deadline, follows as the notification
-- tacit/suggestionUpdated: it replaces the ghost text if the cursor has not
-- moved since the request.
--
-- Works with Neovim 0.7 and newer: only APIs that 0.7 has are used
-- (vim.lsp.start_client, buf_attach_client, extmarks with virt_text
-- 'overlay'/'eol' and virt_lines, vim.keymap, nvim_create_autocmd).
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
  -- Suggestions on when Neovim starts (toggle with :TacitToggle).
  enabled = true,
  -- nil: every buffer that is a file; else a list of filetypes.
  filetypes = nil,
  exclude_filetypes = { 'help', 'gitcommit', 'gitrebase', 'TelescopePrompt', 'netrw' },
  -- Insert-mode keys; false turns one off. When no suggestion is shown each
  -- key does what it would do without the plugin.
  keys = {
    accept = '<Tab>',
    accept_word = '<M-Right>',
    accept_line = '<M-l>',
    dismiss = '<C-]>',
    trigger = '<M-\\>',
  },
  -- Highlight group of the ghost text (linked to Comment unless defined).
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

local function display(s)
  -- Tabs in virtual text would show as one cell; expand them.
  local ts = vim.bo.tabstop > 0 and vim.bo.tabstop or 8
  return (s:gsub('\t', string.rep(' ', ts)))
end

local function render(bufnr)
  api.nvim_buf_clear_namespace(bufnr, NS, 0, -1)
  local s = bufs[bufnr] and bufs[bufnr].sugg
  if not s then return end
  local lines = split_lines(s.text)
  local hl = M.config.hl_group
  local opts = { hl_mode = 'combine', priority = 5000 }
  local line = get_line(bufnr, s.row)
  local rest = line:sub(s.col + 1)
  if lines[1] ~= '' then
    if HAS_INLINE_VT then
      opts.virt_text_pos = 'inline'
    elseif rest == '' then
      opts.virt_text_pos = 'overlay'
    else
      opts.virt_text_pos = 'eol'
    end
    opts.virt_text = { { display(lines[1]), hl } }
  end
  if #lines > 1 then
    local vl = {}
    for i = 2, #lines do
      vl[#vl + 1] = { { display(lines[i]), hl } }
    end
    opts.virt_lines = vl
  end
  s.mark = api.nvim_buf_set_extmark(bufnr, NS, s.row, math.min(s.col, #line), opts)
end

local function clear(bufnr)
  local st = bufs[bufnr]
  if st then st.sugg = nil end
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
  if row == s.row and col >= s.col and line:sub(1, s.col) == s.prefix then
    local typed = line:sub(s.col + 1, col)
    if typed == '' then return true end
    if s.text:sub(1, #typed) == typed and not typed:find('\n', 1, true) then
      s.text = s.text:sub(#typed + 1)
      if s.text ~= '' then
        s.col = col
        s.prefix = line:sub(1, col)
        s.typed = (s.typed or '') .. typed
        render(bufnr)
        return true
      end
    end
  end
  clear(bufnr)
  return false
end

---------------------------------------------------------------------------
-- Requests
---------------------------------------------------------------------------

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
    replace = ecol - col, -- bytes after the cursor the text replaces
    prefix = line:sub(1, col),
    item = item,
  }
end

local function request(bufnr, manual)
  if not M.config.enabled and not manual then return end
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
  local req = { client_id = client.id }
  -- where this request asked: a later tacit/suggestionUpdated applies here only
  st.asked = { client_id = client.id, row = row, col = col, tick = tick, enc = enc, method = method,
               position = params.position }
  stats.requests = stats.requests + 1
  local ok, id = c_request(client, method, params, function(err, result)
    if st.req ~= req then return end -- superseded or cancelled
    st.req = nil
    last.latency_ms = (uv.hrtime() - t0) / 1e6
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
    if type(items) ~= 'table' then items = {} end
    local sugg
    for _, item in ipairs(items) do
      sugg = to_suggestion(bufnr, item, row, col, enc)
      if sugg then break end
    end
    clear(bufnr)
    if sugg then
      sugg.client_id = client.id
      sugg.method = method
      sugg.uri = params.textDocument.uri
      sugg.position = params.position
      st.sugg = sugg
      stats.shown = stats.shown + 1
      render(bufnr)
    end
  end, bufnr)
  if ok then
    req.id = id
    st.req = req
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

--- Insert the shown suggestion (kind 'all', 'word' or 'line').
--- Returns false when none is shown.
function M.accept(kind)
  kind = kind or 'all'
  local bufnr = api.nvim_get_current_buf()
  if not sync(bufnr) then return false end
  local st = bufs[bufnr]
  local s = st.sugg
  local part = s.text
  if kind == 'word' then part = next_word(s.text) elseif kind == 'line' then part = next_line(s.text) end
  local full = #part >= #s.text
  local lines = split_lines(part)
  local end_col = s.col
  if full then end_col = math.min(s.col + s.replace, #get_line(bufnr, s.row)) end
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
  st.applying = false
  report(s, part, full)
  if full then
    stats.accepted = stats.accepted + 1
    clear(bufnr)
  else
    stats.partial = stats.partial + 1
    s.typed = (s.typed or '') .. part
    s.text = s.text:sub(#part + 1)
    s.row, s.col = new_row, new_col
    s.prefix = get_line(bufnr, new_row):sub(1, new_col)
    render(bufnr)
  end
  return true
end

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

--- The shown suggestion: { text, row, col } (0-based row, byte col) or nil.
function M.get_suggestion()
  local st = bufs[api.nvim_get_current_buf()]
  local s = st and st.sugg
  if not s then return nil end
  return { text = s.text, row = s.row, col = s.col }
end

M.namespace = NS

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

local function wanted(bufnr)
  if not api.nvim_buf_is_valid(bufnr) or not api.nvim_buf_is_loaded(bufnr) then return false end
  if vim.bo[bufnr].buftype ~= '' then return false end
  if api.nvim_buf_get_name(bufnr) == '' then return false end
  local ft = vim.bo[bufnr].filetype
  if M.config.filetypes and not vim.tbl_contains(M.config.filetypes, ft) then return false end
  if vim.tbl_contains(M.config.exclude_filetypes or {}, ft) then return false end
  return true
end

local function capabilities()
  local caps = vim.lsp.protocol.make_client_capabilities()
  caps.textDocument = caps.textDocument or {}
  caps.textDocument.inlineCompletion = { dynamicRegistration = false }
  caps.general = caps.general or {}
  if not caps.general.positionEncodings then
    caps.general.positionEncodings = { 'utf-16', 'utf-8' }
  end
  caps.experimental = { tacit = { didAccept = true, suggestionUpdated = true } }
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
  local sugg
  for _, item in ipairs(type(p.items) == 'table' and p.items or {}) do
    sugg = to_suggestion(bufnr, item, at.row, at.col, at.enc)
    if sugg then break end
  end
  if not sugg then return end
  clear(bufnr)
  sugg.client_id = client_id
  sugg.method = at.method
  sugg.uri = p.textDocument.uri
  sugg.position = at.position
  st.sugg = sugg
  stats.shown = stats.shown + 1
  stats.updates = (stats.updates or 0) + 1
  render(bufnr)
end

-- $/progress from the server: the workspace index being built. When it is
-- swapped in, ask again for the buffer being typed in (its first answers
-- came from the open files only).
local progress = {} -- client id -> { done = bool, message = string }
local function on_progress(client_id, result)
  local v = result and result.value
  if type(v) ~= 'table' then return end
  local p = progress[client_id] or {}
  progress[client_id] = p
  if v.kind == 'end' then
    p.done = true
    p.message = v.message or 'indexed'
    local bufnr = api.nvim_get_current_buf()
    local st = bufs[bufnr]
    if st and st.client_id == client_id and not st.sugg and M.config.enabled and in_insert() then
      request(bufnr, false)
    end
  else
    p.done = false
    p.message = v.message or v.title or 'indexing'
  end
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
    },
    on_init = function(client, result)
      -- Neovim 0.7 does not read positionEncoding itself.
      local pe = result and result.capabilities and result.capabilities.positionEncoding
      if pe == 'utf-8' or pe == 'utf-16' or pe == 'utf-32' then client.offset_encoding = pe end
      if result and result.serverInfo then client.tacit_server_info = result.serverInfo end
    end,
    on_exit = function(code, signal, client_id)
      M.last_exit = { code = code, signal = signal, client_id = client_id }
      if clients[root] == client_id then clients[root] = nil end
      if (code ~= 0 or (signal or 0) ~= 0) and not M._exiting then
        last.error = string.format('server exited (code %s, signal %s)', tostring(code), tostring(signal))
      end
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

local function map(lhs, action)
  if not lhs or lhs == '' then return end
  vim.keymap.set('i', lhs, function()
    if M.is_visible() then
      return '<Cmd>lua require("tacit")._key("' .. action .. '")<CR>'
    end
    if action == 'trigger' then
      return '<Cmd>lua require("tacit").trigger()<CR>'
    end
    return lhs
  end, { expr = true, silent = true, desc = 'tacit: ' .. action })
end

function M._key(action)
  if action == 'accept' then M.accept('all')
  elseif action == 'accept_word' then M.accept('word')
  elseif action == 'accept_line' then M.accept('line')
  elseif action == 'dismiss' then M.dismiss()
  elseif action == 'trigger' then M.trigger()
  end
end

local function on_text_changed()
  local bufnr = api.nvim_get_current_buf()
  local st = bufs[bufnr]
  if not st or not st.client_id or st.applying then return end
  if not sync(bufnr) then
    cancel(bufnr)
    if M.config.enabled then schedule(bufnr) end
  end
end

--- A report of the plugin's state, as lines.
function M.status_lines()
  local out = {}
  local bufnr = api.nvim_get_current_buf()
  local st = bufs[bufnr]
  out[#out + 1] = 'tacit: suggestions ' .. (M.config.enabled and 'on' or 'off')
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
    -- The server's own counters (tacit/stats), waiting at most 300 ms.
    local res
    pcall(c_request, client, 'tacit/stats', vim.empty_dict(), function(err, r) res = { err = err, r = r } end, bufnr)
    vim.wait(300, function() return res ~= nil end, 10)
    local r = res and not res.err and res.r
    if type(r) == 'table' then
      out[#out + 1] = string.format(
        'server: engine %s%s, %s files, mode %s, threshold %s; requests %s, computed %s, cache hits %s, accepted %s',
        tostring(r.engine), r.indexing and ' (indexing)' or '', tostring(r.indexedFiles), tostring(r.mode),
        tostring(r.threshold), tostring(r.requests), tostring(r.computed), tostring(r.cacheHits), tostring(r.accepted))
    end
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

function M.toggle(on)
  if on == nil then on = not M.config.enabled end
  M.config.enabled = on
  if not on then
    for b in pairs(bufs) do
      cancel(b)
      clear(b)
    end
  end
  api.nvim_echo({ { 'tacit: suggestions ' .. (on and 'on' or 'off') } }, false, {})
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

function M.setup(opts)
  opts = opts or {}
  local keys = vim.tbl_extend('force', defaults.keys, opts.keys or {})
  M.config = vim.tbl_extend('force', vim.deepcopy(defaults), opts)
  M.config.keys = keys
  if did_setup then return end
  did_setup = true

  vim.cmd('highlight default link TacitSuggestion Comment')
  for action, lhs in pairs(keys) do
    if lhs then map(lhs, action) end
  end
  if opts.next_edits ~= false then require('tacit.nextedit').setup(opts.next_edits) end -- tacit/nextedit.lua

  local group = api.nvim_create_augroup('tacit', { clear = true })
  api.nvim_create_autocmd({ 'BufEnter', 'BufWinEnter', 'FileType', 'BufFilePost' }, {
    group = group,
    callback = function(ev) attach(ev.buf) end,
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
      if st and st.client_id and M.config.enabled and M.config.trigger_on_insert_enter then schedule(ev.buf) end
    end,
  })
  api.nvim_create_autocmd({ 'InsertLeave', 'BufLeave' }, {
    group = group,
    callback = function(ev)
      cancel(ev.buf)
      clear(ev.buf)
    end,
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

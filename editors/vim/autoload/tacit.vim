vim9script
# tacit.vim: ghost-text suggestions from `tacit lsp`, for Vim 9.0 and newer.
#
# Starts one `tacit lsp` per project root (nearest folder above the buffer
# holding a root marker such as .git) with job_start() in the channel's
# 'lsp' mode, keeps the server's copy of each buffer current (full-text
# didChange before every request), asks for textDocument/inlineCompletion
# while the user types (debounced, the previous request cancelled), draws
# the answer as virtual text (text properties: the first line inline at the
# cursor, the next lines 'below'), and inserts all of it, its next word or
# its next line on a key. The text is inserted through the keys of the
# insert itself, so `.` repeats it. Alternatives (every item of the answer)
# are cycled with the position shown ("2/3"). A model server's late answer,
# tacit/suggestionUpdated, replaces the ghost text when nothing moved.
# Next edits (the same change at the other places it applies, in Normal
# mode) are autoload/tacit/nextedit.vim, on this file's servers.
#
# The reference client is editors/nvim/lua/tacit/init.lua; this one speaks
# the same protocol and has the same settings where Vim allows.

const VERSION = '0.1.0'

const DEFAULTS = {
  cmd: ['tacit', 'lsp'],
  cmd_env: {},
  root_markers: ['.git'],
  init_options: {},
  debounce_ms: 75,
  enabled: true,
  filetypes: [],
  exclude_filetypes: ['help', 'gitcommit', 'gitrebase', 'netrw', 'qf'],
  max_file_size: 1048576,
  trigger_on_insert_enter: true,
  keys: {
    accept: '<Tab>',
    accept_word: '<M-Right>',
    accept_line: '<M-l>',
    next: '<M-n>',
    prev: '<M-p>',
    dismiss: '<C-]>',
    trigger: '<M-t>',
  },
  # next edits (autoload/tacit/nextedit.vim): Normal-mode keys
  next_edits: {
    enabled: true,
    delay_ms: 100,
    keys: {jump: '<M-n>', apply: '<Tab>', apply_all: '<M-a>'},
  },
}

# State.
var servers: dict<any> = {}   # root -> {job, ch, ready, enc, progress, error, info, stats, pending}
var bufs: dict<any> = {}      # bufnr -> {root, uri, version, sent, opened, timer, seq, req, asked, sugg}
var counts = {requests: 0, answers: 0, shown: 0, accepted: 0, partial: 0, dismissed: 0, updates: 0}
var last = {error: '', latency_ms: -1.0}
var pending_lines: list<string> = [] # what the accept key's CTRL-R = inserts, by line
var prev_maps: dict<any> = {} # lhs -> the insert-mode mapping it had before
var alt_termcap: dict<any> = {} # lhs -> the key's meaning before we set its termcap
var warned = false              # the missing binary was reported
var server_count = 0            # servers started (each one's id)
const WAITING_MS = 300          # a request out this long shows as "waiting for server"

export def Config(): dict<any>
  var c = deepcopy(DEFAULTS)
  var user = get(g:, 'tacit', {})
  if type(user) != v:t_dict
    return c
  endif
  for [k, v] in items(user)
    if k == 'keys' && type(v) == v:t_dict
      extend(c.keys, v)
    elseif k == 'next_edits' && type(v) == v:t_dict
      for [nk, nv] in items(v)
        if nk == 'keys' && type(nv) == v:t_dict
          extend(c.next_edits.keys, nv)
        else
          c.next_edits[nk] = nv
        endif
      endfor
    elseif k == 'next_edits'
      c.next_edits.enabled = !!v
    else
      c[k] = v
    endif
  endfor
  if type(c.cmd) == v:t_string
    c.cmd = [c.cmd, 'lsp']
  endif
  return c
enddef

# ---------------------------------------------------------------------------
# Positions, URIs, text
# ---------------------------------------------------------------------------

# Byte column -> LSP character for 'utf-8' (bytes) or 'utf-16' (code units).
export def ByteToLsp(line: string, col: number, enc: string): number
  if enc == 'utf-8'
    return col
  endif
  var cps = str2list(strpart(line, 0, col))
  return len(cps) + len(filter(cps, (_, c) => c > 0xFFFF))
enddef

export def LspToByte(line: string, ch: number, enc: string): number
  if enc == 'utf-8'
    return min([ch, len(line)])
  endif
  var units = 0
  var bytes = 0
  for c in str2list(line)
    if units >= ch
      break
    endif
    units += c > 0xFFFF ? 2 : 1
    bytes += len(nr2char(c))
  endfor
  return min([bytes, len(line)])
enddef

# A file:// URI, each byte of other characters than these %-encoded.
export def UriFromPath(path: string): string
  var p = fnamemodify(path, ':p')
  return 'file://' .. substitute(p, '[^A-Za-z0-9/._~-]', (m) => PercentBytes(m[0]), 'g')
enddef

def PercentBytes(c: string): string
  var out = ''
  for i in range(len(c))
    out ..= printf('%%%02X', char2nr(strpart(c, i, 1)))
  endfor
  return out
enddef

export def PathFromUri(uri: string): string
  var p = substitute(uri, '^file://', '', '')
  return substitute(p, '%\(\x\x\)', (m) => eval('"\x' .. m[1] .. '"'), 'g')
enddef

def BufText(buf: number): string
  var text = join(getbufline(buf, 1, '$'), "\n")
  if getbufvar(buf, '&eol') || getbufvar(buf, '&fixeol')
    text ..= "\n"
  endif
  return text
enddef

# Tabs in virtual text would show as one cell; expand them.
export def Display(s: string): string
  var ts = &tabstop > 0 ? &tabstop : 8
  return substitute(s, "\t", repeat(' ', ts), 'g')
enddef

# A word: optional blanks then word characters (or a run of punctuation);
# a line: up to the next newline (or the newline and the line after it).
export def NextWord(text: string): string
  for pat in ['^\_s*[[:alnum:]_\x80-\xff]\+', '^\_s*[^[:alnum:]_[:space:]\x80-\xff]\+', '^\_s\+']
    var m = matchstr(text, pat)
    if m != ''
      return m
    endif
  endfor
  return text
enddef

export def NextLine(text: string): string
  var m = matchstr(text, '^[^\n]\+')
  if m == ''
    m = matchstr(text, '^\n[^\n]*')
  endif
  return m == '' ? text : m
enddef

# ---------------------------------------------------------------------------
# Buffers: which ones, their state
# ---------------------------------------------------------------------------

def State(buf: number): dict<any>
  if !has_key(bufs, buf)
    bufs[buf] = {root: '', uri: '', version: 0, sent: -1, opened: false, timer: -1,
      seq: 0, req: {}, asked: {}, sugg: {}, drawn: false}
  endif
  return bufs[buf]
enddef

# Why suggestions are off in buf, or '' when they are on.
def OffReason(buf: number): string
  var c = Config()
  var bv = getbufvar(buf, 'tacit_enabled', -1)
  if bv == 0
    return 'off in this buffer'
  endif
  if bv != 1 && !c.enabled
    return 'off'
  endif
  var ft = getbufvar(buf, '&filetype')
  if bv != 1 && ((!empty(c.filetypes) && index(c.filetypes, ft) < 0) || index(c.exclude_filetypes, ft) >= 0)
    return 'off for filetype ' .. (ft == '' ? '(none)' : ft)
  endif
  if getbufvar(buf, 'tacit_too_big', 0)
    return 'off: file over ' .. c.max_file_size .. ' bytes'
  endif
  return ''
enddef

def Wanted(buf: number): bool
  return bufloaded(buf) && getbufvar(buf, '&buftype') == '' && bufname(buf) != ''
enddef

def FindRoot(buf: number): string
  var name = fnamemodify(bufname(buf), ':p')
  var dir = fnamemodify(name, ':h')
  while dir != ''
    for m in Config().root_markers
      if getftype(dir .. '/' .. m) != ''
        return dir
      endif
    endfor
    var parent = fnamemodify(dir, ':h')
    if parent == dir
      break
    endif
    dir = parent
  endwhile
  # No marker: the current folder, unless it is $HOME or / (too much to
  # index); then the file's own folder.
  var cwd = getcwd()
  if cwd == '/' || fnamemodify(cwd, ':p') == fnamemodify(expand('~'), ':p')
    return fnamemodify(name, ':h')
  endif
  return cwd
enddef

# ---------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------

def Capabilities(): dict<any>
  return {
    general: {positionEncodings: ['utf-8', 'utf-16']},
    textDocument: {
      synchronization: {didSave: true, dynamicRegistration: false},
      inlineCompletion: {dynamicRegistration: false},
    },
    window: {workDoneProgress: true},
    experimental: {tacit: {didAccept: true, suggestionUpdated: true, nextEditReady: true}},
  }
enddef

def Send(root: string, msg: dict<any>)
  var srv = get(servers, root, {})
  if empty(srv) || ch_status(srv.ch) != 'open'
    return
  endif
  ch_sendexpr(srv.ch, msg)
enddef

def StartServer(root: string): dict<any>
  var c = Config()
  if executable(c.cmd[0]) != 1
    last.error = 'not executable: ' .. c.cmd[0] .. ' (set g:tacit.cmd)'
    if !warned
      warned = true
      echohl WarningMsg
      echomsg 'tacit: ' .. last.error
      echohl None
    endif
    return {}
  endif
  server_count += 1
  var id = server_count
  var srv = {id: id, job: null_job, ch: null_channel, ready: false, enc: 'utf-16', down: false,
    progress: {done: false, message: 'starting'}, error: '', info: {}, stats: {}}
  servers[root] = srv
  # stoponexit '': quitting Vim sends shutdown and exit (VimLeavePre) and
  # lets the server save its index, rather than a SIGTERM.
  var opts: dict<any> = {in_mode: 'lsp', out_mode: 'lsp', err_mode: 'nl', cwd: root, noblock: 1,
    stoponexit: '',
    out_cb: (_, msg) => OnMessage(root, id, msg),
    err_cb: (_, line) => OnStderr(root, id, line),
    exit_cb: (_, code) => OnExit(root, id, code)}
  if !empty(c.cmd_env)
    opts.env = c.cmd_env
  endif
  srv.job = job_start(c.cmd, opts)
  if job_status(srv.job) != 'run'
    last.error = 'cannot start ' .. join(c.cmd)
    srv.down = true
    return srv
  endif
  srv.ch = job_getchannel(srv.job)
  var uri = UriFromPath(root)
  ch_sendexpr(srv.ch, {method: 'initialize', params: {
    processId: getpid(),
    clientInfo: {name: 'tacit.vim', version: VERSION},
    rootUri: uri,
    workspaceFolders: [{uri: uri, name: root}],
    initializationOptions: empty(c.init_options) ? {} : c.init_options,
    capabilities: Capabilities(),
  }}, {callback: (_, resp) => OnInitialized(root, id, resp)})
  return srv
enddef

# The server of root if it is still the one numbered id (a restarted
# server's old job may still talk or exit), else {}.
def Live(root: string, id: number): dict<any>
  var srv = get(servers, root, {})
  return !empty(srv) && srv.id == id ? srv : {}
enddef

# For the next edits: the ready server buf is open on, as {ch, enc, uri},
# or {} (no server, not ready, buf not open there).
export def Server(buf: number): dict<any>
  var st = get(bufs, buf, {})
  var srv = empty(st) ? {} : get(servers, st.root, {})
  if empty(srv) || !srv.ready || srv.down || !st.opened || ch_status(srv.ch) != 'open'
    return {}
  endif
  return {ch: srv.ch, enc: srv.enc, uri: st.uri}
enddef

def OnInitialized(root: string, id: number, resp: dict<any>)
  var srv = Live(root, id)
  if empty(srv)
    return
  endif
  if has_key(resp, 'error')
    srv.error = 'initialize: ' .. get(resp.error, 'message', string(resp.error))
    last.error = srv.error
    return
  endif
  var result = get(resp, 'result', {})
  var caps = type(result) == v:t_dict ? get(result, 'capabilities', {}) : {}
  srv.enc = get(caps, 'positionEncoding', 'utf-16')
  srv.info = get(result, 'serverInfo', {})
  srv.ready = true
  if srv.progress.message == 'starting'
    srv.progress = {done: true, message: 'ready'}
  endif
  Send(root, {method: 'initialized', params: {}})
  StatusChanged()
  for [b, st] in items(bufs)
    if st.root == root && !st.opened && bufloaded(str2nr(b))
      DidOpen(str2nr(b))
    endif
  endfor
enddef

def OnStderr(root: string, id: number, line: string)
  var srv = Live(root, id)
  if !empty(srv) && line =~ '\<error\>'
    srv.error = line
  endif
enddef

def OnExit(root: string, id: number, code: number)
  var srv = Live(root, id)
  if empty(srv)
    return
  endif
  srv.down = true
  srv.ready = false
  if code != 0 && !get(g:, 'tacit_exiting', 0)
    last.error = printf('server exited (code %d)', code)
  endif
  g:tacit_last_exit = code
  StatusChanged()
  for st in values(bufs)
    if st.root == root
      st.opened = false
      st.req = {}
    endif
  endfor
enddef

# Requests and notifications from the server.
def OnMessage(root: string, id: number, msg: any)
  if type(msg) != v:t_dict || empty(Live(root, id))
    return
  endif
  var method = get(msg, 'method', '')
  if method == ''
    return
  endif
  if has_key(msg, 'id')
    # window/workDoneProgress/create and anything else: accepted, nothing to say.
    Send(root, {id: msg.id, result: null})
    return
  endif
  var p = get(msg, 'params', {})
  if type(p) != v:t_dict
    return
  endif
  if method == '$/progress'
    OnProgress(root, p)
  elseif method == 'tacit/suggestionUpdated'
    OnUpdate(root, p)
  elseif method == 'tacit/nextEditReady'
    tacit#nextedit#OnReady(p)
  elseif method == 'window/logMessage' || method == 'window/showMessage'
    if get(p, 'type', 4) == 1
      servers[root].error = get(p, 'message', '')
    endif
  endif
enddef

def OnProgress(root: string, p: dict<any>)
  var v = get(p, 'value', {})
  if type(v) != v:t_dict
    return
  endif
  var srv = servers[root]
  if get(v, 'kind', '') == 'end'
    srv.progress = {done: true, message: get(v, 'message', 'indexed')}
    # The workspace's index is in: ask again where the user is typing.
    var buf = bufnr()
    var st = get(bufs, buf, {})
    if !empty(st) && st.root == root && empty(st.sugg) && mode() =~ '^i' && OffReason(buf) == ''
      Request(buf, false)
    endif
  else
    srv.progress = {done: false, message: get(v, 'message', get(v, 'title', 'indexing')),
      percentage: get(v, 'percentage', -1)}
  endif
  StatusChanged()
enddef

# ---------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------

def DidOpen(buf: number)
  var st = State(buf)
  var srv = get(servers, st.root, {})
  if empty(srv) || !srv.ready
    return
  endif
  st.version = 0
  st.sent = getbufvar(buf, 'changedtick')
  st.opened = true
  var ft = getbufvar(buf, '&filetype')
  Send(st.root, {method: 'textDocument/didOpen', params: {textDocument: {
    uri: st.uri, languageId: ft == '' ? 'plaintext' : ft, version: 0, text: BufText(buf)}}})
enddef

# Bring the server's copy up to date (the whole text; once per pause).
export def SyncDoc(buf: number)
  var st = get(bufs, buf, {})
  if empty(st) || !st.opened
    return
  endif
  var tick = getbufvar(buf, 'changedtick')
  if tick == st.sent
    return
  endif
  st.sent = tick
  st.version += 1
  Send(st.root, {method: 'textDocument/didChange', params: {
    textDocument: {uri: st.uri, version: st.version}, contentChanges: [{text: BufText(buf)}]}})
enddef

export def Attach(buf: number)
  StatusChanged()
  if !Wanted(buf)
    return
  endif
  var st = State(buf)
  var fsize = getfsize(bufname(buf))
  var big = fsize > Config().max_file_size
  if buf == bufnr()
    big = big || line2byte(line('$') + 1) - 1 > Config().max_file_size
  endif
  setbufvar(buf, 'tacit_too_big', big ? 1 : 0)
  if big || OffReason(buf) =~ '^off for filetype'
    return
  endif
  var srv = get(servers, st.root, {})
  if st.root != '' && !empty(srv) && !srv.down
    if !st.opened && srv.ready
      DidOpen(buf)
    endif
    return
  endif
  st.root = FindRoot(buf)
  st.uri = UriFromPath(bufname(buf))
  st.opened = false
  srv = get(servers, st.root, {})
  if empty(srv) || srv.down
    srv = StartServer(st.root)
  endif
  if !empty(srv) && srv.ready
    DidOpen(buf)
  endif
enddef

export def OnBufUnload(buf: number)
  var st = get(bufs, buf, {})
  if empty(st)
    return
  endif
  Cancel(buf)
  if st.opened
    Send(st.root, {method: 'textDocument/didClose', params: {textDocument: {uri: st.uri}}})
  endif
  remove(bufs, buf)
enddef

export def OnBufWrite(buf: number)
  var st = get(bufs, buf, {})
  if !empty(st) && st.opened
    SyncDoc(buf)
    Send(st.root, {method: 'textDocument/didSave', params: {textDocument: {uri: st.uri}}})
  endif
enddef

# ---------------------------------------------------------------------------
# Ghost text
# ---------------------------------------------------------------------------

def Current(s: dict<any>): dict<any>
  return s.alts[s.index]
enddef

# Remove what Render drew (the whole buffer: a split line carries the
# properties right of the cursor to the next line), only when it drew.
def Unrender(buf: number)
  var st = get(bufs, buf, {})
  if empty(st) || !get(st, 'drawn', false) || !bufexists(buf)
    return
  endif
  for t in ['TacitSuggestion', 'TacitAnnotation']
    prop_remove({type: t, bufnr: buf, all: true})
  endfor
  st.drawn = false
enddef

def Render(buf: number)
  Unrender(buf)
  var st = get(bufs, buf, {})
  if empty(st) || empty(st.sugg)
    return
  endif
  var s = st.sugg
  var a = Current(s)
  var lines = split(a.text, "\n", 1)
  var line = getbufline(buf, s.row)[0]
  st.drawn = true
  var col = min([s.col, len(line)])
  var first = lines[0]
  # Auto-inserted closers right of the cursor that the suggestion replaces:
  # where its first line passes through them, draw around them.
  var rest = strpart(line, col, a.replace)
  var i = rest == '' ? -1 : stridx(first, rest)
  if i >= 0 && len(lines) == 1
    if i > 0
      prop_add(s.row, col + 1, {type: 'TacitSuggestion', bufnr: buf, text: Display(strpart(first, 0, i))})
    endif
    var after = strpart(first, i + len(rest))
    if after != ''
      prop_add(s.row, col + 1 + len(rest), {type: 'TacitSuggestion', bufnr: buf, text: Display(after)})
    endif
  elseif first != ''
    prop_add(s.row, col + 1, {type: 'TacitSuggestion', bufnr: buf, text: Display(first)})
  endif
  if len(s.alts) > 1
    prop_add(s.row, 0, {type: 'TacitAnnotation', bufnr: buf, text_align: 'after', text_padding_left: 1,
      text: printf('(%d/%d)', s.index + 1, len(s.alts))})
  endif
  for l in lines[1 :]
    prop_add(s.row, 0, {type: 'TacitSuggestion', bufnr: buf, text_align: 'below',
      text: l == '' ? ' ' : Display(l)})
  endfor
  StatusChanged()
enddef

def Clear(buf: number)
  var st = get(bufs, buf, {})
  if !empty(st)
    st.sugg = {}
  endif
  Unrender(buf)
  StatusChanged()
enddef

def Cancel(buf: number)
  var st = get(bufs, buf, {})
  if empty(st)
    return
  endif
  if st.timer >= 0
    timer_stop(st.timer)
    st.timer = -1
  endif
  if !empty(st.req)
    Send(st.req.root, {method: '$/cancelRequest', params: {id: st.req.id}})
    st.req = {}
  endif
  st.seq += 1
enddef

# Keep the suggestion if the buffer still agrees with it: the cursor at its
# anchor, or ahead of it by typed characters that match its start (those
# are consumed), or where a multi-line partial acceptance put it. Returns
# true when a suggestion is still shown.
def SyncGhost(buf: number): bool
  var st = get(bufs, buf, {})
  if empty(st) || empty(st.sugg)
    return false
  endif
  var s = st.sugg
  if bufnr() != buf || mode() !~ '^i'
    Clear(buf)
    return false
  endif
  var row = line('.')
  var col = col('.') - 1
  var line = getline('.')
  if has_key(s, 'expect')
    var e = remove(s, 'expect')
    if row == e.row
      s.row = row
      s.col = col
      s.prefix = strpart(line, 0, col)
      s.len = len(line)
      Render(buf)
      return true
    endif
  elseif row == s.row && col >= s.col && strpart(line, 0, s.col) == s.prefix
    var typed = strpart(line, s.col, col - s.col)
    if typed == ''
      return true
    endif
    # Characters moved over rather than inserted (an auto-pairs plugin
    # skipping its own closer) were part of what the text replaces.
    var skipped = max([0, len(typed) - (len(line) - s.len)])
    var keep = []
    for a in s.alts
      if stridx(a.text, typed) == 0 && len(a.text) > len(typed)
        a.text = strpart(a.text, len(typed))
        a.typed ..= typed
        a.replace = max([0, a.replace - skipped])
        add(keep, a)
      endif
    endfor
    if !empty(keep)
      var cur = Current(s)
      s.alts = keep
      s.index = max([0, index(keep, cur)])
      s.col = col
      s.len = len(line)
      s.prefix = strpart(line, 0, col)
      Render(buf)
      return true
    endif
  endif
  Clear(buf)
  return false
enddef

# ---------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------

def StripSnippet(s: string): string
  var t = substitute(s, '\${\d\+:\([^}]*\)}', '\1', 'g')
  t = substitute(t, '\${\d\+}\|\$\d\+', '', 'g')
  return substitute(t, '\\\([$}\\]\)', '\1', 'g')
enddef

# An InlineCompletionItem as a suggestion anchored at the cursor, or {}
# when it does not fit there.
def ToSuggestion(item: any, row: number, col: number, line: string, enc: string): dict<any>
  if type(item) != v:t_dict
    return {}
  endif
  var text = get(item, 'insertText', '')
  if type(text) == v:t_dict
    text = StripSnippet(get(text, 'value', ''))
  endif
  if type(text) != v:t_string || text == ''
    return {}
  endif
  var scol = col
  var ecol = col
  var range = get(item, 'range', {})
  if type(range) == v:t_dict && !empty(range)
    if range.start.line != row - 1 || range.end.line != row - 1
      return {}
    endif
    scol = LspToByte(line, range.start.character, enc)
    ecol = LspToByte(line, range.end.character, enc)
    if scol > col || ecol < col
      return {}
    endif
  endif
  var lead = strpart(line, scol, col - scol)
  if stridx(text, lead) != 0 || len(text) <= len(lead)
    return {}
  endif
  text = strpart(text, len(lead))
  return {text: text, full: text, lead: lead, typed: '', replace: ecol - col, item: item}
enddef

# The items of an answer as suggestions, best first, without repeats.
def ToAlternatives(items: any, row: number, col: number, enc: string): list<any>
  var out = []
  var seen = {}
  if type(items) != v:t_list
    return out
  endif
  var line = getline(row)
  for it in items
    var a = ToSuggestion(it, row, col, line, enc)
    if !empty(a) && !has_key(seen, a.text)
      seen[a.text] = 1
      add(out, a)
    endif
  endfor
  return out
enddef

def Show(buf: number, alts: list<any>, asked: dict<any>)
  Clear(buf)
  if empty(alts)
    return
  endif
  var st = bufs[buf]
  st.sugg = {row: asked.row, col: asked.col, prefix: strpart(getline(asked.row), 0, asked.col),
    len: len(getline(asked.row)),
    alts: alts, index: 0, root: st.root, uri: st.uri, position: asked.position}
  counts.shown += 1
  Render(buf)
enddef

def Request(buf: number, manual: bool)
  if (!manual && OffReason(buf) != '') || bufnr() != buf || mode() !~ '^i'
    return
  endif
  var st = State(buf)
  var srv = get(servers, st.root, {})
  if empty(srv) || !srv.ready || !st.opened
    return
  endif
  Cancel(buf)
  SyncDoc(buf)
  var row = line('.')
  var col = col('.') - 1
  var position = {line: row - 1, character: ByteToLsp(getline('.'), col, srv.enc)}
  var seq = st.seq
  var t0 = reltime()
  var asked = {row: row, col: col, tick: b:changedtick, position: position, enc: srv.enc}
  st.asked = asked
  counts.requests += 1
  var r = ch_sendexpr(srv.ch, {method: 'textDocument/inlineCompletion', params: {
    textDocument: {uri: st.uri}, position: position, context: {triggerKind: manual ? 1 : 2}}},
    {callback: (_, resp) => OnAnswer(buf, seq, asked, t0, resp)})
  if type(r) == v:t_dict && has_key(r, 'id')
    st.req = {id: r.id, root: st.root, t0: t0}
    # still out then: the status line says so
    timer_start(WAITING_MS + 10, (_) => StatusChanged())
  endif
  StatusChanged()
enddef

def Unmoved(buf: number, asked: dict<any>): bool
  return bufnr() == buf && mode() =~ '^i' && b:changedtick == asked.tick
    && line('.') == asked.row && col('.') - 1 == asked.col
enddef

def OnAnswer(buf: number, seq: number, asked: dict<any>, t0: list<any>, resp: dict<any>)
  var st = get(bufs, buf, {})
  if empty(st) || st.seq != seq
    return
  endif
  st.req = {}
  StatusChanged()
  last.latency_ms = reltimefloat(reltime(t0)) * 1000.0
  if has_key(resp, 'error')
    if get(resp.error, 'code', 0) != -32800
      last.error = 'inlineCompletion: ' .. get(resp.error, 'message', string(resp.error))
    endif
    return
  endif
  counts.answers += 1
  if !Unmoved(buf, asked)
    return
  endif
  var result = get(resp, 'result', [])
  var items = type(result) == v:t_dict ? get(result, 'items', []) : result
  Show(buf, ToAlternatives(items, asked.row, asked.col, asked.enc), asked)
enddef

# tacit/suggestionUpdated: a model server's answer after the embedded one.
def OnUpdate(root: string, p: dict<any>)
  var buf = bufnr(PathFromUri(get(get(p, 'textDocument', {}), 'uri', '')))
  var st = get(bufs, buf, {})
  if empty(st) || st.root != root || empty(st.asked) || !empty(st.req) || !Unmoved(buf, st.asked)
    return
  endif
  var pos = get(p, 'position', {})
  if type(pos) != v:t_dict || get(pos, 'line', -1) != st.asked.position.line
      || get(pos, 'character', -1) != st.asked.position.character
    return
  endif
  var alts = ToAlternatives(get(p, 'items', []), st.asked.row, st.asked.col, st.asked.enc)
  if !empty(alts)
    counts.updates += 1
    Show(buf, alts, st.asked)
  endif
enddef

def Schedule(buf: number)
  var st = State(buf)
  if st.timer >= 0
    timer_stop(st.timer)
  endif
  st.timer = timer_start(Config().debounce_ms, (_) => {
    st.timer = -1
    Request(buf, false)
  })
enddef

# ---------------------------------------------------------------------------
# Accepting, cycling, dismissing
# ---------------------------------------------------------------------------

# What the server hears: a full acceptance runs the item's command
# (tacit.accept), a partial one sends tacit/didAccept with the part taken.
def Report(s: dict<any>, a: dict<any>, part: string, full: bool)
  var cmd = get(a.item, 'command', {})
  if full && type(cmd) == v:t_dict && has_key(cmd, 'command')
    var srv = get(servers, s.root, {})
    if !empty(srv) && ch_status(srv.ch) == 'open'
      ch_sendexpr(srv.ch, {method: 'workspace/executeCommand', params: {
        command: cmd.command, arguments: get(cmd, 'arguments', [])}}, {callback: (_, _) => 0})
    endif
    return
  endif
  Send(s.root, {method: 'tacit/didAccept', params: {textDocument: {uri: s.uri},
    position: s.position, text: a.lead .. a.full, acceptedText: a.lead .. a.typed .. part}})
enddef

# The accept key inserts each line of the text with CTRL-R = (as typed, so
# the indent rules apply: an accepted `}` is re-indented like a typed one;
# Vim records the result, so `.` repeats the whole insert), and between
# lines <CR> then 0 CTRL-D (the new line's auto-indent removed: the text
# brings its own).
export def Pending(i: number): string
  return get(pending_lines, i, '')
enddef

# The keys that insert the shown suggestion (kind 'all', 'word', 'line'),
# or '' when none is shown.
export def Accept(kind: string): string
  var buf = bufnr()
  if !SyncGhost(buf)
    return ''
  endif
  var st = bufs[buf]
  var s = st.sugg
  var a = Current(s)
  var part = kind == 'word' ? NextWord(a.text) : kind == 'line' ? NextLine(a.text) : a.text
  var full = len(part) >= len(a.text)
  var keys = ''
  if full && a.replace > 0
    # Auto-inserted closers right of the cursor that the item's range covers.
    keys ..= repeat("\<Del>", strchars(strpart(getline('.'), s.col, a.replace)))
  endif
  pending_lines = split(part, "\n", 1)
  for i in range(len(pending_lines))
    if i > 0
      keys ..= "\<CR>0\<C-D>"
    endif
    if pending_lines[i] != ''
      keys ..= "\<C-R>=tacit#Pending(" .. i .. ")\<CR>"
    endif
  endfor
  Report(s, a, part, full)
  if full
    counts.accepted += 1
    Clear(buf)
  else
    # The rest stays shown: on the same line the inserted part is consumed
    # like typed text (SyncGhost); onto a new line it is expected there.
    counts.partial += 1
    s.alts = [a]
    s.index = 0
    if stridx(part, "\n") >= 0
      a.typed ..= part
      a.text = strpart(a.text, len(part))
      s.expect = {row: s.row + count(part, "\n")}
    endif
  endif
  return keys
enddef

export def Cycle(step: number): bool
  var buf = bufnr()
  if !SyncGhost(buf)
    return false
  endif
  var s = bufs[buf].sugg
  s.index = (s.index + step + len(s.alts)) % len(s.alts)
  Render(buf)
  return true
enddef

export def Dismiss(): bool
  var buf = bufnr()
  var st = get(bufs, buf, {})
  var shown = !empty(st) && !empty(st.sugg)
  Cancel(buf)
  Clear(buf)
  if shown
    counts.dismissed += 1
  endif
  return shown
enddef

export def Trigger()
  var buf = bufnr()
  Attach(buf)
  Request(buf, true)
enddef

export def IsVisible(): bool
  var st = get(bufs, bufnr(), {})
  return !empty(st) && !empty(st.sugg)
enddef

# The shown suggestion: {text, row, col, index, count} or {}.
export def GetSuggestion(): dict<any>
  var st = get(bufs, bufnr(), {})
  if empty(st) || empty(st.sugg)
    return {}
  endif
  var s = st.sugg
  return {text: Current(s).text, row: s.row, col: s.col, index: s.index + 1, count: len(s.alts)}
enddef

# ---------------------------------------------------------------------------
# Keys
# ---------------------------------------------------------------------------

def KeyCodes(s: string): string
  return substitute(s, '<[^<>]\+>', (m) => eval('"\' .. m[0] .. '"'), 'g')
enddef

# Map lhs in insert mode to action; the mapping lhs had is kept for when no
# suggestion is shown. In a terminal an Alt+letter key arrives as <Esc> and
# the letter: its termcap entry is set so that Vim sees one key.
export def MapKey(action: string, lhs: string)
  if lhs == ''
    return
  endif
  var prev = maparg(lhs, 'i', false, true)
  if !empty(prev) && get(prev, 'rhs', '') !~ 'tacit#Key('
    prev_maps[lhs] = prev
  endif
  AltTermcap(lhs)
  execute 'inoremap <silent><expr> ' .. lhs .. ' tacit#Key(' .. string(action) .. ', '
    .. string(substitute(lhs, '<', '<lt>', 'g')) .. ')'
enddef

# In a terminal an <M-letter> key arrives as <Esc> and the letter: set its
# termcap entry so that Vim sees one key (for any mode's mapping).
export def AltTermcap(lhs: string)
  var m = matchlist(lhs, '\c^<M-\(\a\)>$')
  if !empty(m) && !has('gui_running') && !has_key(alt_termcap, lhs)
    try
      execute 'set ' .. lhs .. "=\<Esc>" .. m[1]
      alt_termcap[lhs] = "\<Esc>" .. m[1]
    catch
    endtry
  endif
enddef

# What lhs does without a suggestion: its previous mapping, else the key.
def Fallback(lhs: string): string
  var prev = get(prev_maps, lhs, {})
  if empty(prev)
    return has_key(alt_termcap, lhs) ? alt_termcap[lhs] : KeyCodes(lhs)
  endif
  var rhs = substitute(prev.rhs, '\c<SID>', '<SNR>' .. get(prev, 'sid', 0) .. '_', 'g')
  if get(prev, 'expr', 0)
    rhs = eval(rhs)
  else
    rhs = KeyCodes(rhs)
  endif
  if get(prev, 'noremap', 1)
    return rhs
  endif
  feedkeys(rhs, 'mi')
  return ''
enddef

export def Key(action: string, lhs: string): string
  if IsVisible()
    if action == 'accept' || action == 'accept_word' || action == 'accept_line'
      var keys = Accept(action == 'accept' ? 'all' : action == 'accept_word' ? 'word' : 'line')
      if keys != '' || IsVisible()
        return keys
      endif
    elseif action == 'next' || action == 'prev'
      Cycle(action == 'next' ? 1 : -1)
      return ''
    elseif action == 'dismiss'
      Dismiss()
      return ''
    endif
  endif
  if action == 'trigger'
    Trigger()
    return ''
  endif
  return Fallback(lhs)
enddef

# ---------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------

export def OnTextChanged()
  var buf = bufnr()
  var st = get(bufs, buf, {})
  if empty(st) || st.root == ''
    return
  endif
  if !SyncGhost(buf)
    Cancel(buf)
    if OffReason(buf) == ''
      Schedule(buf)
    endif
  endif
enddef

export def OnCursorMoved()
  var buf = bufnr()
  if has_key(bufs, buf)
    SyncGhost(buf)
  endif
enddef

export def OnInsertEnter()
  var buf = bufnr()
  var st = get(bufs, buf, {})
  if !empty(st) && st.root != '' && OffReason(buf) == '' && Config().trigger_on_insert_enter
    Schedule(buf)
  endif
enddef

# Insert mode left (by <Esc>, <C-c>, <C-o>, a mouse click, anything) or the
# buffer left: no ghost text may stay.
export def OnLeave()
  for b in keys(bufs)
    var st = bufs[b]
    if !empty(st.sugg) || st.timer >= 0 || !empty(st.req)
      Cancel(str2nr(b))
      Clear(str2nr(b))
    endif
  endfor
enddef

# Not for Command-line mode: the accept keys' CTRL-R = passes through it.
export def OnSafeState()
  if mode() !~ '^[ic]'
    OnLeave()
  endif
enddef

export def OnVimLeave()
  g:tacit_exiting = 1
  for [root, srv] in items(servers)
    if !srv.down && ch_status(srv.ch) == 'open'
      try
        ch_evalexpr(srv.ch, {method: 'shutdown'}, {timeout: 500})
        ch_sendexpr(srv.ch, {method: 'exit'})
      catch
      endtry
    endif
  endfor
enddef

# ---------------------------------------------------------------------------
# Status, toggles
# ---------------------------------------------------------------------------

var shown_status = ''
var status_timer = -1

# Status lines are drawn on events; when the status changes outside them
# (a callback), redraw them and tell status-line plugins (User TacitStatus).
# Deferred: this may be called where redrawing is not allowed (a mapping).
def StatusChanged()
  if status_timer < 0
    status_timer = timer_start(0, (_) => StatusRedraw())
  endif
enddef

def StatusRedraw()
  status_timer = -1
  var now = Status()
  if now == shown_status
    return
  endif
  shown_status = now
  redrawstatus
  if exists('#User#TacitStatus')
    doautocmd <nomodeline> User TacitStatus
  endif
enddef

# One short word or phrase for a status line, never waiting: 'off', 'off
# in this buffer', 'waiting for server' (it is starting, or a request has
# been out WAITING_MS), 'indexing 40%', 'ready', '2/3' (the alternative shown), 'server down', 'tacit not
# found' (g:tacit.cmd is not executable), or '' when the buffer has no
# server.
export def Status(): string
  var buf = bufnr()
  var why = OffReason(buf)
  if why != ''
    return why
  endif
  var st = get(bufs, buf, {})
  if empty(st) || st.root == ''
    return ''
  endif
  var srv = get(servers, st.root, {})
  if empty(srv) && warned
    return 'tacit not found'
  endif
  if empty(srv) || srv.down
    return 'server down'
  endif
  if !srv.ready
    return 'waiting for server'
  endif
  if !empty(st.sugg) && len(st.sugg.alts) > 1
    return printf('%d/%d', st.sugg.index + 1, len(st.sugg.alts))
  endif
  if !empty(st.req) && reltimefloat(reltime(st.req.t0)) * 1000.0 >= WAITING_MS
    return 'waiting for server'
  endif
  if !srv.progress.done
    var pct = get(srv.progress, 'percentage', -1)
    return 'indexing' .. (pct >= 0 ? printf(' %d%%', pct) : '')
  endif
  return 'ready'
enddef

export def StatusLines(): list<string>
  var c = Config()
  var buf = bufnr()
  var st = get(bufs, buf, {})
  var out = ['tacit: ' .. (Status() == '' ? 'not attached' : Status())
    .. (c.enabled ? '' : ' (suggestions off globally)')]
  add(out, 'command: ' .. join(c.cmd))
  var srv = empty(st) ? {} : get(servers, st.root, {})
  if !empty(srv)
    add(out, printf('server: %s, root %s%s, position encoding %s', srv.down ? 'down' : srv.ready
      ? 'running' : 'starting', st.root, empty(srv.info) ? '' : ' (' .. get(srv.info, 'name', '')
      .. ' ' .. get(srv.info, 'version', '') .. ')', srv.enc))
    add(out, 'index: ' .. (srv.progress.done ? '' : 'building: ') .. srv.progress.message)
    var r = srv.stats
    if !empty(r)
      add(out, printf('server counts: engine %s%s, %s files, mode %s, threshold %s; requests %s, '
        .. 'computed %s, cache hits %s, accepted %s', get(r, 'engine', '?'), get(r, 'indexing', 0)
        ? ' (indexing)' : '', get(r, 'indexedFiles', '?'), get(r, 'mode', '?'), get(r, 'threshold', '?'),
        get(r, 'requests', '?'), get(r, 'computed', '?'), get(r, 'cacheHits', '?'), get(r, 'accepted', '?')))
    endif
    if srv.error != ''
      add(out, 'server said: ' .. srv.error)
    endif
  endif
  add(out, printf('client: requests %d, answers %d, shown %d, accepted %d, partial %d, dismissed %d, updates %d',
    counts.requests, counts.answers, counts.shown, counts.accepted, counts.partial, counts.dismissed, counts.updates))
  if last.latency_ms >= 0
    add(out, printf('last latency: %.1f ms', last.latency_ms))
  endif
  if last.error != ''
    add(out, 'last error: ' .. last.error)
  endif
  return out
enddef

# :TacitStatus: prints at once, then again with the server's own counters
# when tacit/stats answers (never waits).
export def StatusCommand()
  echo join(StatusLines(), "\n")
  var st = get(bufs, bufnr(), {})
  var srv = empty(st) ? {} : get(servers, st.root, {})
  if !empty(srv) && srv.ready && ch_status(srv.ch) == 'open'
    ch_sendexpr(srv.ch, {method: 'tacit/stats', params: {}}, {callback: (_, resp) => {
      if type(get(resp, 'result', 0)) == v:t_dict
        srv.stats = resp.result
        redraw
        echo join(StatusLines(), "\n")
      endif
    }})
  endif
enddef

# scope: 'global' or 'buffer'; on: 1, 0, or -1 to flip.
export def Toggle(scope: string, on: number)
  var buf = bufnr()
  var now = OffReason(buf) == ''
  var want = on < 0 ? !now : on == 1
  if scope == 'buffer'
    setbufvar(buf, 'tacit_enabled', want ? 1 : 0)
  else
    if type(get(g:, 'tacit', 0)) != v:t_dict
      g:tacit = {}
    endif
    g:tacit.enabled = want
    if getbufvar(buf, 'tacit_enabled', -1) >= 0
      setbufvar(buf, 'tacit_enabled', want ? 1 : 0)
    endif
  endif
  if !want
    OnLeave()
  else
    Attach(buf)
  endif
  echo 'tacit: suggestions ' .. (want ? 'on' : 'off') .. (scope == 'buffer' ? ' in this buffer' : '')
enddef

export def Restart()
  for [root, srv] in items(servers)
    if !srv.down
      job_stop(srv.job)
    endif
  endfor
  servers = {}
  for [b, st] in items(bufs)
    Cancel(str2nr(b))
    Clear(str2nr(b))
    st.root = ''
    st.opened = false
  endfor
  last.error = ''
  Attach(bufnr())
enddef

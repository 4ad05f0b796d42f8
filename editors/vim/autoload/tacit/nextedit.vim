vim9script
# tacit/nextedit.vim: next edits in Vim 9, from `tacit lsp`'s tacit/nextEdit
# (the same features as editors/nvim/lua/tacit/nextedit.lua).
#
# After an edit (leaving Insert mode, or a change in Normal mode) the
# server is asked where the same edit applies next; a mark (virtual text
# after the line) is drawn at that place: "next edit 1/3: title". The jump
# key moves there and previews the change: the text it removes is
# highlighted (TacitNextEditRemoved), the text it inserts is virtual text
# after the line and below it (TacitNextEditAdded). The apply key (<Tab>,
# mapped in that buffer only while the preview is shown) applies it and
# marks the next place; the apply-all key applies it at every place
# (the answer's `edits`, the places of "Apply to all N places"). A model
# server's predicted edit arrives later: the server's tacit/nextEditReady
# makes the plugin ask again. While next edits are pending each place in a
# loaded buffer shows its change as a hint after its line ("→ new text",
# TacitNextEditHint: the server's inlay hints, drawn by the plugin; off
# with the server's setting nextEditInlayHints = false), until it is
# applied, the rule ends or that line is edited. The server and the
# buffers' sync are autoload/tacit.vim's (tacit.Server, tacit.SyncDoc).

import autoload 'tacit.vim'

var cur: dict<any> = {}      # the last answer: {buf, enc, edit} or {}
var preview: dict<any> = {}  # while a preview is shown: {buf, lhs, saved}
var marked: dict<any> = {}   # bufnr -> 1 where marks or a preview are drawn
var stale: dict<any> = {}    # bufnr -> a preview's key to unmap on entering it
var timer = -1
var seq = 0                  # answers to older requests are dropped

const TYPES = ['TacitNextEditMark', 'TacitNextEditRemoved', 'TacitNextEditAdded', 'TacitNextEditHint']
const HINT_CHARS = 40        # a hint's text is cut here, with "…" (as the server's inlay hints)

export def Config(): dict<any>
  return tacit.Config().next_edits
enddef

def ClearMarks()
  for b in keys(marked)
    var n = str2nr(b)
    if bufexists(n)
      for t in TYPES
        prop_remove({type: t, bufnr: n, all: true})
      endfor
    endif
  endfor
  marked = {}
enddef

# The apply key's buffer mapping goes (in the current buffer: the one it
# was made in); the buffer's own mapping of the key, if it had one, comes
# back.
def Unmap(p: dict<any>)
  if p.lhs != ''
    silent! execute 'nunmap <buffer> ' .. p.lhs
  endif
  if !empty(p.saved)
    mapset('n', false, p.saved)
  endif
enddef

def EndPreview()
  if empty(preview)
    return
  endif
  var p = preview
  preview = {}
  if bufnr() == p.buf
    Unmap(p)
  elseif bufexists(p.buf)
    stale[p.buf] = p # done on entering it (BufEnter), before any key there
  endif
enddef

export def OnBufEnter()
  var b = bufnr()
  if has_key(stale, b)
    Unmap(remove(stale, b))
  endif
enddef

def EditBuf(edit: dict<any>): number
  return bufnr(tacit.PathFromUri(get(edit, 'uri', '')))
enddef

# The hints are on unless the server's setting nextEditInlayHints
# (g:tacit.init_options) is false.
def HintsOn(): bool
  var v = get(tacit.Config().init_options, 'nextEditInlayHints', true)
  return type(v) == v:t_bool ? v : type(v) == v:t_number ? v != 0 : true
enddef

# The hint at each place of the current answer in a loaded buffer but
# `skip` (one place: the one previewed): "→ " and the first line of the
# new text after the place's line; for whole lines inserted, after the
# line they go after.
def DrawHints(skip: dict<any> = {})
  if empty(cur) || !HintsOn()
    return
  endif
  var edits = get(cur.edit, 'edits', [])
  for t in type(edits) == v:t_list && !empty(edits) ? edits : [cur.edit]
    if type(t) != v:t_dict || type(get(t, 'range', 0)) != v:t_dict || type(get(t, 'newText', 0)) != v:t_string
        || (!empty(skip) && get(t, 'uri', '') == get(skip, 'uri', '') && t.range == skip.range)
      continue
    endif
    var b = EditBuf(t)
    if b < 0 || !bufloaded(b)
      continue
    endif
    var r = t.range
    var row = r.end.line + 1
    var whole = r.start.character == 0 && r.end.character == 0 && t.newText =~ "\n$"
    if whole && row > 1
      row -= 1
    endif
    if row > getbufinfo(b)[0].linecount
      continue
    endif
    var l = tacit.Display(trim(split(t.newText, "\n", 1)[0], " \t", 1))
    if strchars(l) > HINT_CHARS
      l = strcharpart(l, 0, HINT_CHARS) .. '…'
    endif
    prop_add(row, 0, {type: 'TacitNextEditHint', bufnr: b, text_align: 'after', text_padding_left: 2,
      text: '→ ' .. l})
    marked[b] = 1
  endfor
enddef

# The mark at the next place, when it is in a loaded buffer, and the hints.
def DrawMark()
  ClearMarks()
  if empty(cur)
    return
  endif
  var e = cur.edit
  var b = EditBuf(e)
  var row = e.range.start.line + 1
  if b >= 0 && bufloaded(b) && row <= getbufinfo(b)[0].linecount
    prop_add(row, 0, {type: 'TacitNextEditMark', bufnr: b, text_align: 'after', text_padding_left: 2,
      text: printf('next edit %d/%d: %s', get(e, 'index', 1), get(e, 'total', 1), get(e, 'title', ''))})
    marked[b] = 1
  endif
  DrawHints()
enddef

def OnAnswer(n: number, buf: number, enc: string, resp: any)
  if n != seq
    return
  endif
  var result = type(resp) == v:t_dict ? get(resp, 'result', null) : null
  if type(result) == v:t_dict && type(get(result, 'range', 0)) == v:t_dict
    cur = {buf: buf, enc: enc, edit: result}
  else
    cur = {}
  endif
  DrawMark()
enddef

# Ask the server for the next place after the cursor (the answer comes
# later: the mark, and Current()).
export def Refresh(buf: number = bufnr())
  var srv = tacit.Server(buf)
  if empty(srv) || bufnr() != buf
    return
  endif
  tacit.SyncDoc(buf)
  seq += 1
  var n = seq
  var position = {line: line('.') - 1, character: tacit.ByteToLsp(getline('.'), col('.') - 1, srv.enc)}
  ch_sendexpr(srv.ch, {method: 'tacit/nextEdit', params: {textDocument: {uri: srv.uri}, position: position}},
    {callback: (_, resp) => OnAnswer(n, buf, srv.enc, resp)})
enddef

# The last answer of tacit/nextEdit: {uri, range, newText, title, kind,
# index, total, edits}, or {} when there is none.
export def Current(): dict<any>
  return empty(cur) ? {} : cur.edit
enddef

# Byte columns of an LSP range in buffer b: [start row, start col, end row,
# end col], rows from 1, columns from 0.
def ByteRange(b: number, range: dict<any>, enc: string): list<number>
  var sl = range.start.line + 1
  var el = range.end.line + 1
  var sline = get(getbufline(b, sl), 0, '')
  var eline = get(getbufline(b, el), 0, '')
  return [sl, tacit.LspToByte(sline, range.start.character, enc), el, tacit.LspToByte(eline, range.end.character, enc)]
enddef

# Jump to the next place and preview its change; false when there is none.
export def Jump(): bool
  if empty(cur)
    return false
  endif
  var e = cur.edit
  ClearMarks()
  EndPreview()
  var path = tacit.PathFromUri(e.uri)
  var b = bufnr(path)
  if b != bufnr()
    execute 'hide edit ' .. fnameescape(path)
    b = bufnr()
  endif
  var [sl, sc, el, ec] = ByteRange(b, e.range, cur.enc)
  cursor(sl, sc + 1)
  if el > sl || ec > sc
    prop_add(sl, sc + 1, {type: 'TacitNextEditRemoved', bufnr: b, end_lnum: el, end_col: ec + 1})
  endif
  var lines = split(e.newText, "\n", 1)
  if sc == 0 && ec == 0 && len(lines) > 1 && lines[-1] == ''
    # whole lines inserted (or replacing whole lines): shown above the
    # line they go before, where they will be
    for l in lines[: -2]
      prop_add(el, 0, {type: 'TacitNextEditAdded', bufnr: b, text_align: 'above',
        text: l == '' ? ' ' : tacit.Display(l)})
    endfor
  else
    prop_add(el, 0, {type: 'TacitNextEditAdded', bufnr: b, text_align: 'after', text_padding_left: 2,
      text: '→ ' .. tacit.Display(lines[0])})
    for l in lines[1 :]
      prop_add(el, 0, {type: 'TacitNextEditAdded', bufnr: b, text_align: 'below',
        text: l == '' ? ' ' : tacit.Display(l)})
    endfor
  endif
  marked[b] = 1
  DrawHints(e) # at the other places
  var lhs = Config().keys.apply
  if type(lhs) == v:t_string && lhs != ''
    var saved = maparg(lhs, 'n', false, true)
    preview = {buf: b, lhs: lhs, saved: get(saved, 'buffer', 0) ? saved : {}}
    execute 'nnoremap <buffer><silent><nowait> ' .. lhs .. ' <ScriptCmd>Apply()<CR>'
  else
    preview = {buf: b, lhs: '', saved: {}}
  endif
  return true
enddef

# Replace one range of buffer b by text (rows from 1, columns from 0).
def Replace(b: number, r: list<number>, text: string)
  var [sl, sc, el, ec] = r
  var old = getbufline(b, sl, el)
  if empty(old)
    return
  endif
  var new = split(strpart(old[0], 0, sc) .. text .. strpart(old[-1], ec), "\n", 1)
  var n = len(old)
  if len(new) >= n
    setbufline(b, sl, new[: n - 1])
    if len(new) > n
      appendbufline(b, el, new[n :])
    endif
  else
    setbufline(b, sl, new)
    deletebufline(b, sl + len(new), el)
  endif
enddef

# Apply text edits {uri, range, newText} (in any files: one not loaded is
# loaded, and left modified like the others), each buffer's from its end
# so that the ranges stay right; the server hears of each buffer changed.
def ApplyEdits(edits: list<any>, enc: string)
  var by_buf: dict<list<any>> = {}
  for t in edits
    var path = tacit.PathFromUri(get(t, 'uri', ''))
    var b = bufnr(path)
    if b < 0
      b = bufadd(path)
    endif
    if !bufloaded(b)
      bufload(b)
      setbufvar(b, '&buflisted', true)
      tacit.Attach(b)
    endif
    if !has_key(by_buf, b)
      by_buf[b] = []
    endif
    add(by_buf[b], ByteRange(b, t.range, enc) + [t.newText])
  endfor
  for [k, todo] in items(by_buf)
    var b = str2nr(k)
    sort(todo, (x, y) => x[0] != y[0] ? y[0] - x[0] : y[1] - x[1])
    for x in todo
      Replace(b, x[: 3], x[4])
    endfor
    # at once: an edit typed next must reach the server as an edit of its own
    tacit.SyncDoc(b)
  endfor
enddef

def ScheduleRefresh(buf: number)
  if timer >= 0
    timer_stop(timer)
  endif
  timer = timer_start(Config().delay_ms, (_) => {
    timer = -1
    if bufnr() == buf && mode() == 'n'
      Refresh(buf)
    endif
  })
enddef

# Apply the previewed change, then mark the next place.
export def Apply(): bool
  if empty(cur) || empty(preview) || preview.buf != bufnr()
    return false
  endif
  var c = cur
  EndPreview()
  ClearMarks()
  cur = {}
  ApplyEdits([c.edit], c.enc)
  ScheduleRefresh(bufnr())
  return true
enddef

# Apply the change at every place.
export def ApplyAll(): bool
  if empty(cur)
    return false
  endif
  var c = cur
  EndPreview()
  ClearMarks()
  cur = {}
  var edits = get(c.edit, 'edits', [])
  ApplyEdits(type(edits) == v:t_list && !empty(edits) ? edits : [c.edit], c.enc)
  return true
enddef

# tacit/nextEditReady {uri}: the model server's edit is there; ask again
# when that buffer is the current one, in Normal mode, with no preview.
export def OnReady(p: dict<any>)
  if !Config().enabled || !empty(preview) || type(get(p, 'uri', 0)) != v:t_string
    return
  endif
  var buf = bufnr()
  if bufnr(tacit.PathFromUri(p.uri)) == buf && mode() == 'n'
    Refresh(buf)
  endif
enddef

# After an edit (InsertLeave, TextChanged): the preview ends, the server
# hears of the edit at once (so that it stays apart from the next one),
# and the next place is asked for a moment later.
export def OnEdit()
  EndPreview()
  var buf = bufnr()
  # a hint on a line just changed is gone at once (the next answer draws
  # the places that are left)
  if has_key(marked, buf) && line("'[") > 0
    prop_remove({type: 'TacitNextEditHint', bufnr: buf, all: true}, line("'["), max([line("']"), line("'[")]))
  endif
  if Config().enabled && !empty(tacit.Server(buf))
    tacit.SyncDoc(buf)
    ScheduleRefresh(buf)
  endif
enddef

# A Normal-mode key: its action; without a next edit, what the key did
# before: an <M-letter> key in a terminal is <Esc> and the letter (the
# letter's command, with the user's mapping of it), another key says so.
export def Key(action: string, lhs: string)
  if action == 'jump' ? Jump() : ApplyAll()
    return
  endif
  var m = matchlist(lhs, '\c^<M-\(\a\)>$')
  if !empty(m) && !has('gui_running')
    feedkeys(m[1], 'm')
  else
    echo 'tacit: no next edit'
  endif
enddef

# :TacitNextEdit, :TacitNextEditApply, :TacitNextEditApplyAll.
export def Command(action: string)
  if !(action == 'jump' ? Jump() : action == 'apply' ? Apply() : ApplyAll())
    echo action == 'apply' ? 'tacit: no next edit previewed here' : 'tacit: no next edit'
  endif
enddef

# Normal-mode keys and the autocommands (plugin/tacit.vim, at VimEnter).
export def Setup()
  var c = Config()
  if !c.enabled
    return
  endif
  for action in ['jump', 'apply_all']
    var lhs = get(c.keys, action, '')
    if type(lhs) == v:t_string && lhs != ''
      tacit.AltTermcap(lhs)
      execute 'nnoremap <silent> ' .. lhs .. ' <ScriptCmd>Key(' .. string(action) .. ', '
        .. string(substitute(lhs, '<', '<lt>', 'g')) .. ')<CR>'
      # An Alt key's termcap also catches <Esc> and the letter typed fast
      # in Insert mode: there they keep that meaning.
      if lhs =~? '^<M-\a>$' && empty(maparg(lhs, 'i'))
        execute 'inoremap ' .. lhs .. ' <Esc>' .. lhs[3]
      endif
    endif
  endfor
  augroup tacit_nextedit
    autocmd!
    autocmd InsertLeave,TextChanged * OnEdit()
    autocmd BufEnter * OnBufEnter()
  augroup END
enddef

vim9script
# tacit.vim: ghost-text suggestions from `tacit lsp` (Vim 9.0.0185 or newer:
# text properties with virtual text). Settings: g:tacit (see :help tacit).
if exists('g:loaded_tacit') || !has('textprop') || !has('channel') || !has('patch-9.0.0185')
  finish
endif
g:loaded_tacit = 1

# A grey that is not Comment's colour in the default scheme (256 colours:
# 244; fewer: DarkGray); a colour scheme or the user may define them first.
# Again after each :colorscheme, whose `highlight clear` drops them.
def Highlights()
  if str2nr(&t_Co) >= 256 || has('gui_running') || &termguicolors
    highlight default TacitSuggestion ctermfg=244 guifg=#808080
  else
    highlight default TacitSuggestion ctermfg=DarkGray guifg=#808080
  endif
  highlight default link TacitAnnotation TacitSuggestion
  # next edits: the mark at the next place, the preview of its change
  highlight default link TacitNextEditMark Comment
  highlight default link TacitNextEditRemoved DiffDelete
  highlight default link TacitNextEditAdded DiffAdd
  # the hint at each place ("→ new text")
  highlight default link TacitNextEditHint Comment
enddef
Highlights()
for t in ['TacitSuggestion', 'TacitAnnotation', 'TacitNextEditMark', 'TacitNextEditRemoved', 'TacitNextEditAdded',
    'TacitNextEditHint']
  if empty(prop_type_get(t))
    prop_type_add(t, {highlight: t, priority: 1000})
  endif
endfor

command! -bar TacitStatus tacit#StatusCommand()
command! -bar TacitToggle tacit#Toggle('global', -1)
command! -bar TacitEnable tacit#Toggle('global', 1)
command! -bar TacitDisable tacit#Toggle('global', 0)
command! -bar TacitBufToggle tacit#Toggle('buffer', -1)
command! -bar TacitBufEnable tacit#Toggle('buffer', 1)
command! -bar TacitBufDisable tacit#Toggle('buffer', 0)
command! -bar TacitRestart tacit#Restart()
command! -bar TacitNextEdit tacit#nextedit#Command('jump')
command! -bar TacitNextEditApply tacit#nextedit#Command('apply')
command! -bar TacitNextEditApplyAll tacit#nextedit#Command('apply_all')

def Setup()
  for [action, lhs] in items(tacit#Config().keys)
    if type(lhs) == v:t_string && lhs != ''
      tacit#MapKey(action, lhs)
    endif
  endfor
  tacit#nextedit#Setup()
  augroup tacit
    autocmd!
    autocmd BufEnter,BufWinEnter,FileType,BufFilePost * tacit#Attach(str2nr(expand('<abuf>')))
    autocmd TextChangedI,TextChangedP * tacit#OnTextChanged()
    autocmd CursorMovedI * tacit#OnCursorMoved()
    autocmd InsertEnter * tacit#OnInsertEnter()
    autocmd InsertLeave,BufLeave * tacit#OnLeave()
    autocmd ModeChanged i*:[^ic]* tacit#OnLeave()
    autocmd SafeState * tacit#OnSafeState()
    autocmd BufWritePost * tacit#OnBufWrite(str2nr(expand('<abuf>')))
    autocmd BufUnload * tacit#OnBufUnload(str2nr(expand('<abuf>')))
    autocmd VimLeavePre * tacit#OnVimLeave()
    autocmd ColorScheme * Highlights()
  augroup END
enddef

# Keys are mapped after the vimrc so that mappings it made first (another
# plugin's <Tab>) are kept for when no suggestion is shown.
if v:vim_did_enter
  Setup()
  tacit#Attach(bufnr())
else
  autocmd VimEnter * ++once Setup() | tacit#Attach(bufnr())
endif

#!/usr/bin/env bash
# nvim_e2e.sh - the Neovim plugin (editors/nvim) against the real `tacit lsp`.
#
# Makes a git repository of real Python files, runs headless Neovim with the
# plugin on 'runtimepath' and a Lua driver that types into a buffer the way a
# user does (nvim_input, processed by Neovim's own input loop, so the
# plugin's autocommands, debounce timer and async LSP requests run as in an
# interactive session), waits for the ghost text, reads it back from the
# plugin's extmarks and checks that:
#   1. <Tab> inserts the whole suggestion (the buffer line is the full line);
#   2. <M-Right> takes one word and leaves the rest shown, typing a character
#      that matches the ghost text consumes it, <M-l> takes the line;
#   3. <C-]> hides a suggestion and <Tab> without one inserts a plain tab;
#   4. leaving insert mode clears the ghost text, and the server exits with
#      status 0 on shutdown/exit (under ASan: no leak, no memory error).
# Every wait has a deadline; the whole run is bounded by `timeout`.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
# The sanitizer build when the suite gives one (it is quick enough here).
bin=${TACIT_TEST_BIN:-${TACIT_REL_BIN:-$repo/build/tacit}}
case $bin in /*) ;; *) bin=$repo/$bin ;; esac
command -v nvim >/dev/null 2>&1 || { echo "nvim not found (scripts/deps.sh installs Debian's neovim)"; exit 1; }
[ -x "$bin" ] || { echo "no tacit binary at $bin"; exit 1; }

tmp=$(mktemp -d)
# TACIT_E2E_KEEP=DIR keeps the run's files (driver, logs, lsp.log) there.
trap '[ -n "${TACIT_E2E_KEEP:-}" ] && cp -r "$tmp/." "$TACIT_E2E_KEEP/"; rm -rf "$tmp"' EXIT
ws=$tmp/ws
mkdir -p "$ws" "$tmp/xdg"
# A small real project: some of the Python standard library, where the
# `if __name__ == '__main__':` idiom closes several modules.
for f in argparse ast shlex textwrap configparser csv dataclasses tabnanny \
         pdb profile pstats trace timeit tokenize uu quopri base64 py_compile; do
    [ -f "/usr/lib/python3.11/$f.py" ] && cp "/usr/lib/python3.11/$f.py" "$ws/"
done
[ "$(ls "$ws" | wc -l)" -ge 5 ] || { echo "need /usr/lib/python3.11 (libpython3.11-stdlib)"; exit 1; }
printf 'import sys\n\n\ndef main():\n    return 0\n\n' > "$ws/tool.py"
git -C "$ws" init -q
git -C "$ws" add -A
git -C "$ws" -c user.name=t -c user.email=t@example.com commit -qm init

export TACIT_CACHE_DIR=$tmp/cache
# Keep Neovim's own files (lsp.log, shada, swap) out of the user's home.
export XDG_CONFIG_HOME=$tmp/xdg/config XDG_DATA_HOME=$tmp/xdg/data \
       XDG_STATE_HOME=$tmp/xdg/state XDG_CACHE_HOME=$tmp/xdg/cache
export E2E_LOG=$tmp/e2e.log E2E_FILE=$ws/tool.py
export E2E_CMD=${TACIT_E2E_CMD:-$bin lsp}
# The full line the repository predicts, and the prefix typed.
export E2E_TYPE="if __name__ == " E2E_WANT="if __name__ == '__main__':"

cat > "$tmp/driver.lua" <<'LUA'
local api, env = vim.api, vim.env
local out = assert(io.open(env.E2E_LOG, 'w'))
local function log(...)
  local t = {}
  for _, v in ipairs({ ... }) do t[#t + 1] = type(v) == 'string' and v or vim.inspect(v) end
  out:write(table.concat(t, ' '), '\n')
  out:flush()
end
local done = false
local function finish(ok, msg)
  if done then return end
  done = true
  log(ok and 'PASS' or 'FAIL', msg or '')
  if not ok then
    local ok2, tacit = pcall(require, 'tacit')
    if ok2 then log('status:\n  ' .. table.concat(tacit.status_lines(), '\n  ')) end
  end
  out:close()
  vim.cmd(ok and 'qall!' or 'cquit 3')
end
vim.defer_fn(function() finish(false, 'watchdog: the driver did not finish in 90 s') end, 90000)

local co
local function sleep(ms)
  vim.defer_fn(function() assert(coroutine.resume(co)) end, ms)
  coroutine.yield()
end
local function wait_for(ms, pred)
  local deadline = vim.loop.now() + ms
  repeat
    local v = pred()
    if v then return v end
    sleep(20)
  until vim.loop.now() > deadline
  return pred()
end
local function line() return api.nvim_get_current_line() end

-- The ghost text as drawn: the plugin's extmarks, with details.
local function ghost()
  local marks = api.nvim_buf_get_extmarks(0, require('tacit').namespace, 0, -1, { details = true })
  if #marks == 0 then return nil end
  local d = marks[1][4]
  local text = ''
  for _, chunk in ipairs(d.virt_text or {}) do
    if chunk[2] ~= 'TacitSuggestionCount' then text = text .. chunk[1] end -- not the "1/3"
  end
  for _, vl in ipairs(d.virt_lines or {}) do
    text = text .. '\n'
    for _, chunk in ipairs(vl) do text = text .. chunk[1] end
  end
  return { row = marks[1][2], col = marks[1][3], text = text, pos = d.virt_text_pos, n = #marks }
end
local function expect(cond, msg)
  if not cond then error({ msg = msg }, 0) end
end
local function type_and_wait(keys, what)
  api.nvim_input(keys)
  local g = wait_for(30000, ghost)
  expect(g, 'no ghost text within 30 s after ' .. what .. ' (line ' .. vim.inspect(line()) .. ')')
  local cur = api.nvim_win_get_cursor(0)
  expect(g.row == cur[1] - 1 and g.col == cur[2], 'ghost text not at the cursor: ' .. vim.inspect(g))
  return g
end

local function main()
  local tacit = require('tacit')
  -- threshold 0.1: this spot's confidence is 0.17-0.36 across the ranker's
  -- training samples in this 19-file workspace, around the default 0.3 under
  -- any setting (BENCHMARKS.md, "Everything of round 21 merged"); the test is
  -- of the pipeline (ghost text, Tab, partial accept), not of that one confidence
  tacit.setup({ cmd = vim.split(env.E2E_CMD, ' ', { plain = true }), debounce_ms = 75,
                init_options = { threshold = 0.1 } })
  vim.cmd('edit ' .. vim.fn.fnameescape(env.E2E_FILE))
  local client = wait_for(15000, function()
    local list = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = 0 }) or vim.lsp.buf_get_clients(0)
    for _, c in pairs(list) do
      if c.name == 'tacit' and c.initialized then return c end
    end
  end)
  expect(client, 'the server did not start and initialize within 15 s')
  log('server up: client ' .. client.id .. ', position encoding ' .. tostring(client.offset_encoding))
  local want, typed = env.E2E_WANT, env.E2E_TYPE
  local rest = want:sub(#typed + 1)

  -- 1. type a prefix, the ghost text shows the rest; <Tab> takes it all.
  local g = type_and_wait('Go' .. typed:gsub('<', '<lt>'), 'typing ' .. vim.inspect(typed))
  log('1. ghost after typing ' .. vim.inspect(typed) .. ': ' .. vim.inspect(g.text) .. ' (' .. tostring(g.pos) .. ')')
  expect(g.text == rest, 'ghost text ' .. vim.inspect(g.text) .. ', want ' .. vim.inspect(rest))
  api.nvim_input('<Tab>')
  expect(wait_for(3000, function() return line() == want end),
    '<Tab>: line is ' .. vim.inspect(line()) .. ', want ' .. vim.inspect(want))
  local cur = api.nvim_win_get_cursor(0)
  expect(cur[2] == #want, 'cursor not after the accepted text: col ' .. cur[2])
  log('1. <Tab> accepted: ' .. vim.inspect(line()))

  -- 2. partial acceptance: a word, type-through, then the line (the same
  -- line again: S empties it, so the context is as in 1).
  api.nvim_input('<Esc>')
  expect(wait_for(2000, function() return api.nvim_get_mode().mode == 'n' end), 'no normal mode after <Esc>')
  expect(not ghost(), 'ghost text left after leaving insert mode')
  g = type_and_wait('S' .. typed:gsub('<', '<lt>'), 'typing the prefix again')
  expect(g.text == rest, 'second ghost text ' .. vim.inspect(g.text) .. ', want ' .. vim.inspect(rest))
  local word = rest:match('^%s*[%w_]+') or rest:match('^%s*[^%w_%s]+')
  api.nvim_input('<M-Right>')
  expect(wait_for(3000, function() return line() == typed .. word end),
    '<M-Right>: line is ' .. vim.inspect(line()) .. ', want ' .. vim.inspect(typed .. word))
  g = ghost()
  expect(g and g.text == rest:sub(#word + 1),
    'after <M-Right> the ghost text is ' .. vim.inspect(g and g.text) .. ', want ' .. vim.inspect(rest:sub(#word + 1)))
  log('2. <M-Right> took ' .. vim.inspect(word) .. ', ghost now ' .. vim.inspect(g.text))
  local nextc = rest:sub(#word + 1, #word + 1)
  api.nvim_input(nextc)
  expect(wait_for(3000, function()
    local h = ghost()
    return line() == typed .. word .. nextc and h and h.text == rest:sub(#word + 2)
  end), 'typing ' .. vim.inspect(nextc) .. ' (matching the ghost text): line ' .. vim.inspect(line())
    .. ', ghost ' .. vim.inspect(ghost()))
  log('2. typed ' .. vim.inspect(nextc) .. ', ghost now ' .. vim.inspect(ghost().text))
  api.nvim_input('<M-l>')
  expect(wait_for(3000, function() return line() == want end),
    '<M-l>: line is ' .. vim.inspect(line()) .. ', want ' .. vim.inspect(want))
  log('2. <M-l> accepted: ' .. vim.inspect(line()))

  -- The server saw the three acceptances (tacit.accept, tacit/didAccept for
  -- the word, tacit.accept) and its copy of the buffer is the buffer.
  local function ask(method, params)
    local res
    local function cb(err, r) res = { err = err, result = r } end
    if vim.fn.has('nvim-0.11') == 1 then client:request(method, params, cb, 0)
    else client.request(method, params, cb, 0) end
    expect(wait_for(5000, function() return res end), method .. ': no answer within 5 s')
    expect(not res.err, method .. ': ' .. vim.inspect(res.err))
    return res.result
  end
  local stats = ask('tacit/stats', vim.empty_dict())
  expect(stats.accepted == 3, 'the server counted ' .. tostring(stats.accepted) .. ' acceptances, want 3')
  local doc = ask('tacit/document', { textDocument = { uri = vim.uri_from_bufnr(0) } })
  local text = table.concat(api.nvim_buf_get_lines(0, 0, -1, false), '\n') .. '\n'
  expect(doc.text == text, "the server's copy of the buffer differs: " .. vim.inspect(doc.text) .. ' vs ' .. vim.inspect(text))
  log('2. server: ' .. stats.accepted .. ' acceptances, document in sync')

  -- 3. <C-]> hides the suggestion; <Tab> without one is a plain tab.
  api.nvim_input('<Esc>')
  expect(wait_for(2000, function() return api.nvim_get_mode().mode == 'n' end), 'no normal mode after <Esc>')
  g = type_and_wait('S' .. typed:gsub('<', '<lt>'), 'typing the prefix a third time')
  api.nvim_input('<C-]>')
  expect(wait_for(3000, function() return not ghost() end), '<C-]> did not hide the ghost text')
  expect(line() == typed, '<C-]> changed the line: ' .. vim.inspect(line()))
  api.nvim_input('<Tab>')
  expect(wait_for(3000, function() return line() == typed .. '\t' end),
    '<Tab> without a suggestion: line ' .. vim.inspect(line()) .. ', want ' .. vim.inspect(typed .. '\t'))
  log('3. <C-]> dismissed, <Tab> fell through')

  api.nvim_input('<Esc>')
  expect(wait_for(2000, function() return api.nvim_get_mode().mode == 'n' end), 'no normal mode after <Esc>')
  expect(not ghost(), 'ghost text left after leaving insert mode')
  local status = table.concat(tacit.status_lines(), ' | ')

  -- 4. the server shuts down cleanly (shutdown, exit: status 0; under ASan
  -- a leak or a memory error would make it non-zero).
  vim.lsp.stop_client(client.id)
  local ex = wait_for(10000, function() return tacit.last_exit end)
  expect(ex, 'the server did not exit within 10 s of shutdown/exit')
  expect(ex.code == 0 and (ex.signal or 0) == 0,
    'the server exited with code ' .. tostring(ex.code) .. ', signal ' .. tostring(ex.signal))
  log('4. server exited with 0')
  finish(true, status)
end

co = coroutine.create(function()
  local ok, err = xpcall(main, function(e)
    if type(e) == 'table' and e.msg then return e.msg end
    return debug.traceback(tostring(e))
  end)
  if not ok then finish(false, err) end
end)
vim.schedule(function() assert(coroutine.resume(co)) end)
LUA

rc=0
(cd "$ws" && timeout -k 3 100 nvim --headless -u NONE -i NONE -n \
    --cmd "set rtp^=$repo/editors/nvim" --cmd 'filetype on' \
    -c "luafile $tmp/driver.lua") </dev/null >"$tmp/nvim.out" 2>&1 || rc=$?
cat "$E2E_LOG" 2>/dev/null || true
if [ "$rc" -ne 0 ] || ! grep -q '^PASS' "$E2E_LOG" 2>/dev/null; then
    [ "$rc" -eq 124 ] && echo "nvim_e2e: Neovim timed out"
    echo "nvim_e2e: failed (nvim exit $rc)"
    echo "--- nvim output:"; tail -20 "$tmp/nvim.out" | tr -d '\033' | cut -c1-300
    if [ -s "$tmp/xdg/cache/nvim/lsp.log" ]; then echo "--- lsp.log:"; tail -20 "$tmp/xdg/cache/nvim/lsp.log" | cut -c1-300; fi
    exit 1
fi

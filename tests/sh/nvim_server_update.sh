#!/usr/bin/env bash
# nvim_server_update.sh - the Neovim plugin shows a model server's answer
# that arrives after the embedded one (tacit/suggestionUpdated): headless
# Neovim with editors/nvim against `tacit lsp`, whose server is a fake
# llama.cpp (bench/lsp_fake_server.py) answering "server_text()". The
# ghost text must become the server's text without another keystroke.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
bin=${TACIT_TEST_BIN:-${TACIT_REL_BIN:-$repo/build/tacit}}
case $bin in /*) ;; *) bin=$repo/$bin ;; esac
command -v nvim >/dev/null 2>&1 || { echo "nvim not found (scripts/deps.sh installs Debian's neovim)"; exit 1; }
command -v python3 >/dev/null 2>&1 || { echo "python3 not found"; exit 1; }
[ -x "$bin" ] || { echo "no tacit binary at $bin"; exit 1; }
tmp=$(mktemp -d)
fpid=
trap '[ -n "$fpid" ] && kill "$fpid" 2>/dev/null; rm -rf "$tmp"' EXIT
ws=$tmp/ws
mkdir -p "$ws/.git" "$tmp/xdg"
printf 'import sys\n\n\ndef main():\n    return 0\n' > "$ws/tool.py"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 "$repo/bench/lsp_fake_server.py" "$port" delay:0 &
fpid=$!
for _ in $(seq 50); do python3 -c "import socket; socket.create_connection(('127.0.0.1',$port),1)" 2>/dev/null && break; sleep 0.1; done
export TACIT_CACHE_DIR=$tmp/cache TACIT_BACKEND=llama TACIT_BACKEND_LLAMA_URL=http://127.0.0.1:$port \
       TACIT_DEADLINE_MS=20000
export XDG_CONFIG_HOME=$tmp/xdg/config XDG_DATA_HOME=$tmp/xdg/data XDG_STATE_HOME=$tmp/xdg/state \
       XDG_CACHE_HOME=$tmp/xdg/cache
export E2E_LOG=$tmp/e2e.log E2E_FILE=$ws/tool.py E2E_CMD="$bin lsp"
cat > "$tmp/driver.lua" <<'LUA'
local api, env = vim.api, vim.env
local out = assert(io.open(env.E2E_LOG, 'w'))
local function finish(ok, msg)
  out:write((ok and 'PASS ' or 'FAIL ') .. (msg or '') .. '\n')
  out:close()
  vim.cmd(ok and 'qall!' or 'cquit 3')
end
vim.defer_fn(function() finish(false, 'watchdog: no server answer shown in 30 s') end, 30000)
local tacit = require('tacit')
tacit.setup({ cmd = vim.split(env.E2E_CMD, ' ', { plain = true }), debounce_ms = 50 })
vim.cmd('edit ' .. vim.fn.fnameescape(env.E2E_FILE))
local function ghost()
  local marks = api.nvim_buf_get_extmarks(0, tacit.namespace, 0, -1, { details = true })
  if #marks == 0 then return nil end
  local t = ''
  for _, c in ipairs(marks[1][4].virt_text or {}) do
    if c[2] ~= 'TacitSuggestionCount' then t = t .. c[1] end -- not the "1/3"
  end
  return t
end
local typed, asked = false, false
local timer = vim.loop.new_timer()
timer:start(200, 100, vim.schedule_wrap(function()
  local list = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = 0 }) or vim.lsp.buf_get_clients(0)
  local up = false
  for _, c in pairs(list) do if c.name == 'tacit' and c.initialized then up = true end end
  if not up then return end
  if not typed then
    typed = true
    api.nvim_input('Gox = ')
    return
  end
  if ghost() == 'server_text()' and not asked then
    asked = true
    -- it came as tacit/suggestionUpdated (the server counts the updates)
    for _, c in pairs(list) do
      if c.name == 'tacit' then
        local function cb(err, r)
          timer:stop()
          if err or not r or (r.updates or 0) < 1 then
            finish(false, 'shown, but not through tacit/suggestionUpdated: ' .. vim.inspect(r))
          else
            finish(true, 'the server answer replaced the ghost text (updates: ' .. r.updates .. ')')
          end
        end
        if vim.fn.has('nvim-0.11') == 1 then c:request('tacit/stats', vim.empty_dict(), cb, 0)
        else c.request('tacit/stats', vim.empty_dict(), cb, 0) end
      end
    end
  end
end))
LUA
timeout 60 nvim --headless -n -u NONE -i NONE --cmd "set rtp^=$repo/editors/nvim" \
    -c "luafile $tmp/driver.lua" >/dev/null 2>&1 || true
cat "$tmp/e2e.log" 2>/dev/null || echo "FAIL: no log"
grep -q '^PASS' "$tmp/e2e.log"

-- tacit.nvim commands. Suggestions start with require('tacit').setup{...}.
if vim.g.loaded_tacit then return end
vim.g.loaded_tacit = true

local function cmd(name, f, desc, nargs)
  vim.api.nvim_create_user_command(name, f, {
    desc = desc,
    nargs = nargs,
    complete = nargs and function() return { 'buffer' } end or nil,
  })
end
-- The optional argument `buffer` limits :TacitToggle/Enable/Disable to the
-- current buffer.
local function scope(o)
  if o.args == 'buffer' then return 'buffer' end
  if o.args ~= '' then
    vim.notify('tacit: the only argument is "buffer"', vim.log.levels.ERROR)
    return false
  end
  return nil
end
local function toggle(on)
  return function(o)
    local sc = scope(o)
    if sc ~= false then require('tacit').toggle(on, sc) end
  end
end
cmd('TacitStatus', function() require('tacit').status() end, 'tacit: state, server, counts, last error')
cmd('TacitToggle', toggle(nil), 'tacit: suggestions on/off (buffer: this buffer only)', '?')
cmd('TacitEnable', toggle(true), 'tacit: suggestions on (buffer: this buffer only)', '?')
cmd('TacitDisable', toggle(false), 'tacit: suggestions off (buffer: this buffer only)', '?')
cmd('TacitRestart', function() require('tacit').restart() end, 'tacit: restart the server')

-- tacit.nvim commands. Suggestions start with require('tacit').setup{...}.
if vim.g.loaded_tacit then return end
vim.g.loaded_tacit = true

local function cmd(name, f, desc)
  vim.api.nvim_create_user_command(name, f, { desc = desc })
end
cmd('TacitStatus', function() require('tacit').status() end, 'tacit: server, counts, last error')
cmd('TacitToggle', function() require('tacit').toggle() end, 'tacit: suggestions on/off')
cmd('TacitEnable', function() require('tacit').toggle(true) end, 'tacit: suggestions on')
cmd('TacitRestart', function() require('tacit').restart() end, 'tacit: restart the server')
cmd('TacitDisable', function() require('tacit').toggle(false) end, 'tacit: suggestions off')

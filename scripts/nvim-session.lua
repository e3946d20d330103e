-- One scripted editing session in headless Neovim, set up as docs/contributors.md says
-- (editors/neovim/modelcard-review.lua): open a card, wait for the server's
-- diagnostics, write them as JSON lines (rule, line) to $OUT, then type a fix and
-- check the diagnostics follow the unsaved buffer.
local out = assert(vim.env.OUT, "OUT not set")
local function wait_for(pred, what)
  if not vim.wait(20000, pred, 50) then
    io.stderr:write("timed out waiting for " .. what .. "\n")
    vim.cmd("cquit 3")
  end
end
local function rows()
  local r = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    table.insert(r, { rule = d.code, line = d.lnum + 1, col = d.col })
  end
  table.sort(r, function(a, b)
    if a.line ~= b.line then return a.line < b.line end
    return a.rule < b.rule
  end)
  return r
end

wait_for(function() return #vim.diagnostic.get(0) > 0 end, "the first diagnostics")
local first = rows()
-- Replace the placeholder on the License line, without saving.
local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
for i, l in ipairs(lines) do
  if l:find("%*%*License:%*%* TBD") then
    vim.api.nvim_buf_set_lines(0, i - 1, i, false, { "- **License:** MIT" })
  end
end
wait_for(function() return #vim.diagnostic.get(0) == #first - 1 end, "the diagnostics after the edit")
local f = assert(io.open(out, "w"))
f:write(vim.fn.json_encode({ opened = first, edited = rows() }))
f:close()
vim.cmd("qall!")

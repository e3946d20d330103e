-- modelcard-review in Neovim: findings, fixes, hovers and completions for model
-- cards while you write. Put this file in ~/.config/nvim/plugin/ (or `require` it).
-- Neovim 0.8+ uses vim.lsp.start; 0.7 (Debian 12) start_client + buf_attach_client.
local function root_of(buf)
  local name = vim.api.nvim_buf_get_name(buf)
  local dir = vim.fn.fnamemodify(name, ":p:h")
  local found = vim.fn.finddir(".git", dir .. ";")
  if found == "" then
    return dir
  end
  return vim.fn.fnamemodify(found, ":p:h:h")
end

local config = function(buf)
  return {
    name = "modelcard-review",
    cmd = { vim.env.MODELCARD_REVIEW_BIN or "modelcard-review", "server" },
    root_dir = root_of(buf),
  }
end

local client_id = nil
vim.api.nvim_create_autocmd("FileType", {
  pattern = "markdown",
  callback = function(args)
    if vim.lsp.start then
      vim.lsp.start(config(args.buf))
    else
      client_id = client_id or vim.lsp.start_client(config(args.buf))
      vim.lsp.buf_attach_client(args.buf, client_id)
    end
  end,
})

-- Drives Neovim 0.7's built-in LSP client against waitguard-lsp, headless:
--   nvim --headless --clean -c "luafile driver.lua" file.go
-- Environment: WAITGUARD_NODE, WAITGUARD_SERVER (dist/server.js), WAITGUARD_NVIM_OUT (JSON
-- result file), WAITGUARD_HOVER_LINE / WAITGUARD_FIX_LINE (1-based lines to hover / fix).
-- The result holds the diagnostics, the hover, the code actions, and the buffer after applying
-- the first quick fix (when one is offered); test/e2e/neovim.e2e.ts asserts on it.
local env = function(name, default) return os.getenv(name) or default end
local TIMEOUT_MS = tonumber(env('WAITGUARD_NVIM_TIMEOUT_MS', '30000'))
local result = { diagnostics = {}, code_actions = {} }

local function start_server()
  vim.bo.filetype = 'go'
  local client_id = vim.lsp.start_client({
    name = 'waitguard',
    cmd = { env('WAITGUARD_NODE', 'node'), env('WAITGUARD_SERVER', 'dist/server.js'), '--stdio' },
    root_dir = vim.fn.getcwd(),
    settings = { waitguard = {} },
  })
  assert(client_id, 'waitguard-lsp did not start')
  vim.lsp.buf_attach_client(0, client_id)
  return client_id
end

local function wait_for_diagnostics()
  local start = vim.loop.hrtime()
  local ok = vim.wait(TIMEOUT_MS, function() return #vim.diagnostic.get(0) > 0 end, 20)
  result.diagnostics_ms = math.floor((vim.loop.hrtime() - start) / 1e6)
  assert(ok, 'no diagnostics within ' .. TIMEOUT_MS .. ' ms')
  for _, d in ipairs(vim.diagnostic.get(0)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(result.diagnostics, {
      line = d.lnum + 1, col = d.col + 1, message = d.message, source = d.source,
      severity = d.severity, code = d.code or lsp.code,
    })
  end
end

-- Hover at the first non-blank character of a 1-based line.
local function request_hover(line)
  local text = vim.api.nvim_buf_get_lines(0, line - 1, line, true)[1]
  local col = (text:find('%S') or 1) - 1
  local params = { textDocument = vim.lsp.util.make_text_document_params(), position = { line = line - 1, character = col } }
  local responses = vim.lsp.buf_request_sync(0, 'textDocument/hover', params, 5000) or {}
  for _, r in pairs(responses) do
    if r.err then result.hover_error = r.err.message end
    if r.result then result.hover = r.result end
  end
end

-- Code actions for a whole 1-based line, with the diagnostics on it as context.
local function request_code_actions(line)
  local len = #vim.api.nvim_buf_get_lines(0, line - 1, line, true)[1]
  local diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(0, { lnum = line - 1 })) do
    if d.user_data and d.user_data.lsp then table.insert(diagnostics, d.user_data.lsp) end
  end
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(),
    range = { start = { line = line - 1, character = 0 }, ['end'] = { line = line - 1, character = len } },
    context = { diagnostics = diagnostics, only = { 'quickfix' } },
  }
  local responses = vim.lsp.buf_request_sync(0, 'textDocument/codeAction', params, 5000) or {}
  for _, r in pairs(responses) do
    if r.err then result.code_action_error = r.err.message end
    for _, action in ipairs(r.result or {}) do table.insert(result.code_actions, action) end
  end
end

-- Applies the first code action that carries an edit; records the buffer afterwards.
local function apply_first_fix()
  for _, action in ipairs(result.code_actions) do
    if action.edit then
      vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
      result.applied = action.title
      result.buffer_after_fix = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, true), '\n')
      return
    end
  end
end

local ok, err = pcall(function()
  start_server()
  wait_for_diagnostics()
  request_hover(tonumber(env('WAITGUARD_HOVER_LINE', '1')))
  request_code_actions(tonumber(env('WAITGUARD_FIX_LINE', '1')))
  apply_first_fix()
end)
result.ok = ok
if not ok then result.error = tostring(err) end
local f = assert(io.open(env('WAITGUARD_NVIM_OUT', 'nvim-result.json'), 'w'))
f:write(vim.fn.json_encode(result))
f:close()
vim.cmd('qall!')

-- Byte-wise order of two strings, as within a sorted set (Lua's `<` on
-- strings follows the server's collation locale, which a sorted set does
-- not). Included by claim-next.lua and waiting.lua.
local function bytesLess(a, b)
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then
      return x < y
    end
  end
  return #a < #b
end

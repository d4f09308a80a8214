--[[
  The waiting tickets of several skills, merged in the order they will be
  served: by score (priority, then arrival), ties by conversation id in byte
  order, which is how claim-next.lua picks across the same queues.

  Input:
    KEYS[1], KEYS[2], ... the queue of each skill, no repeats
                                          (<prefix>:{handoff}:queue:<skill>)

    ARGV[1] base of the area's keys       (<prefix>:{handoff}:), for the tickets
    ARGV[2] limit: at most this many tickets; -1 for all

  Output:
    array of tickets, each as HGETALL gives it, first served first.
    Error SBQ_BAD_ARGUMENT when the limit does not parse.
]]
local base = ARGV[1]
local limit = tonumber(ARGV[2])
if not limit then
  return redis.error_reply('SBQ_BAD_ARGUMENT limit must be a number')
end
if limit == 0 then
  return {}
end
local stop = -1
if limit > 0 then
  stop = limit - 1
end

--- @include "bytes-less"

local candidates = {}
for i = 1, #KEYS do
  local entries = redis.call('ZRANGE', KEYS[i], 0, stop, 'WITHSCORES')
  for j = 1, #entries, 2 do
    candidates[#candidates + 1] = { entries[j], tonumber(entries[j + 1]) }
  end
end
table.sort(candidates, function(a, b)
  if a[2] ~= b[2] then
    return a[2] < b[2]
  end
  return bytesLess(a[1], b[1])
end)

local result = {}
for _, candidate in ipairs(candidates) do
  if limit > 0 and #result >= limit then
    break
  end
  local ticket = redis.call('HGETALL', base .. 'ticket:' .. candidate[1])
  if #ticket > 0 then
    result[#result + 1] = ticket
  end
end
return result

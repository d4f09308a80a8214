--[[
  The tickets an agent holds, read in one step.

  Input:
    KEYS[1] the agent's held set          (<prefix>:{handoff}:agent:<agentId>:held)

    ARGV[1] base of the area's keys       (<prefix>:{handoff}:), for the tickets
    ARGV[2] agent id

  Output:
    array of tickets, each as HGETALL gives it, in no particular order.
]]
local result = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local ticketKey = ARGV[1] .. 'ticket:' .. id
  if redis.call('HGET', ticketKey, 'agentId') == ARGV[2] then
    result[#result + 1] = redis.call('HGETALL', ticketKey)
  end
end
return result

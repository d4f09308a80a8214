--[[
  Takes a conversation out of its queue or out of its holder's hands
  (e.g. the customer left): the ticket is deleted.

  Input:
    KEYS[1] the conversation's ticket     (<prefix>:{handoff}:ticket:<conversationId>)

    ARGV[1] base of the area's keys       (<prefix>:{handoff}:), for the
            queue of the ticket's skill and the held set of its holder
    ARGV[2] conversation id

  Output:
    1 when there was a ticket, 0 when there was none.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
local current = redis.call('HMGET', KEYS[1], 'skill', 'agentId')
local skill, holder = current[1], current[2]
if holder then
  redis.call('SREM', ARGV[1] .. 'agent:' .. holder .. ':held', ARGV[2])
elseif skill then
  redis.call('ZREM', ARGV[1] .. 'queue:' .. skill, ARGV[2])
end
redis.call('DEL', KEYS[1])
return 1

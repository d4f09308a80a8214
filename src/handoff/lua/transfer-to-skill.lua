--[[
  Moves a held conversation back to the queue of a skill (the same or
  another), at the tail of its priority: it enters that queue now.

  Input:
    KEYS[1] the conversation's ticket     (<prefix>:{handoff}:ticket:<conversationId>)
    KEYS[2] the holder's held set         (<prefix>:{handoff}:agent:<agentId>:held)
    KEYS[3] the target skill's queue      (<prefix>:{handoff}:queue:<skill>)

    ARGV[1] conversation id
    ARGV[2] agent id: only the holder may transfer
    ARGV[3] target skill
    ARGV[4] now (ms since the epoch): the new enqueuedAt
    ARGV[5] MAX_PRIORITY
    ARGV[6] width of a priority's band of scores (2^42)

  Output:
    1 when it moved, 0 when the agent does not hold the conversation.
    Error SBQ_BAD_ARGUMENT when a number does not parse;
    SBQ_CORRUPT_TICKET when the ticket has no priority.
]]
local id = ARGV[1]
local now = tonumber(ARGV[4])
local maxPriority = tonumber(ARGV[5])
local band = tonumber(ARGV[6])
if not now or not maxPriority or not band then
  return redis.error_reply('SBQ_BAD_ARGUMENT now, max priority and band must be numbers')
end

if redis.call('HGET', KEYS[1], 'agentId') ~= ARGV[2] then
  return 0
end
local priority = tonumber(redis.call('HGET', KEYS[1], 'priority'))
if not priority then
  return redis.error_reply('SBQ_CORRUPT_TICKET ticket without a priority: ' .. id)
end

redis.call('SREM', KEYS[2], id)
redis.call('HDEL', KEYS[1], 'agentId', 'assignedAt')
redis.call('HSET', KEYS[1], 'skill', ARGV[3], 'enqueuedAt', ARGV[4])
redis.call('ZADD', KEYS[3], string.format('%.17g', (maxPriority - priority) * band + now), id)
return 1

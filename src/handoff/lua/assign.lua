--[[
  Hands a conversation straight to an agent (transfer to an agent). It must
  be waiting (in any skill; the target's skills are not checked: a person
  chose the target), or held by the agent handing it over. The target's
  capacity is respected. Handing a conversation to the agent that already
  holds it changes nothing. A target with no lease yet starts one at `now`,
  so what it is given goes back to the queue if it never shows up.

  Input:
    KEYS[1] the conversation's ticket     (<prefix>:{handoff}:ticket:<conversationId>)
    KEYS[2] the target's held set         (<prefix>:{handoff}:agent:<targetId>:held)
    KEYS[3] agents by last seen           (<prefix>:{handoff}:agents:seen)

    ARGV[1] base of the area's keys       (<prefix>:{handoff}:), for the
            queue of the ticket's skill and the held set of its holder
    ARGV[2] conversation id
    ARGV[3] target agent id
    ARGV[4] the target's capacity (integer >= 0)
    ARGV[5] now (ms since the epoch): assignedAt
    ARGV[6] the agent handing it over; '' when none

  Output:
    { 'assigned', <the ticket as HGETALL gives it> }, or { 'at_capacity' },
    { 'not_found' } (not waiting, and not held by ARGV[6]).
    Error SBQ_BAD_ARGUMENT when a number does not parse.
]]
local base = ARGV[1]
local id = ARGV[2]
local targetId = ARGV[3]
local capacity = tonumber(ARGV[4])
local from = ARGV[6]
if not capacity or not tonumber(ARGV[5]) then
  return redis.error_reply('SBQ_BAD_ARGUMENT capacity and now must be numbers')
end

local current = redis.call('HMGET', KEYS[1], 'skill', 'agentId')
local skill, holder = current[1], current[2]
if not skill then
  return { 'not_found' }
end
if holder then
  if from == '' or holder ~= from then
    return { 'not_found' }
  end
  if holder == targetId then
    return { 'assigned', redis.call('HGETALL', KEYS[1]) }
  end
end
if redis.call('SCARD', KEYS[2]) >= capacity then
  return { 'at_capacity' }
end

if holder then
  redis.call('SREM', base .. 'agent:' .. holder .. ':held', id)
else
  redis.call('ZREM', base .. 'queue:' .. skill, id)
end
redis.call('HSET', KEYS[1], 'agentId', targetId, 'assignedAt', ARGV[5])
redis.call('SADD', KEYS[2], id)
redis.call('ZADD', KEYS[3], 'NX', ARGV[5], targetId)
return { 'assigned', redis.call('HGETALL', KEYS[1]) }

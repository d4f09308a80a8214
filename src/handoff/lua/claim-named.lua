--[[
  An agent claims one named waiting conversation.

  In order: a conversation that is not queued, or is held by another agent,
  is `taken`; one the agent already holds is `claimed` again, unchanged (a
  retried claim); one waiting in a skill the agent lacks is `not_eligible`;
  an agent holding `capacity` conversations is `at_capacity`. Otherwise the
  conversation leaves its queue for the agent's held set, the claim counts
  towards the skill's claim rate (see the comment there), and the agent
  counts as seen at `now`.

  Input:
    KEYS[1] the conversation's ticket     (<prefix>:{handoff}:ticket:<conversationId>)
    KEYS[2] the agent's held set          (<prefix>:{handoff}:agent:<agentId>:held)
    KEYS[3] agents by last seen           (<prefix>:{handoff}:agents:seen)

    ARGV[1] base of the area's keys       (<prefix>:{handoff}:), for the
            queue and claim-rate keys of the ticket's skill
    ARGV[2] conversation id
    ARGV[3] agent id
    ARGV[4] the agent's capacity (integer >= 0)
    ARGV[5] now (ms since the epoch)
    ARGV[6] weight of the newest interval in the claim-rate average (0..1)
    ARGV[7], ARGV[8], ... the agent's skills

  Output:
    { 'claimed', <the ticket as HGETALL gives it> }, or { 'taken' },
    { 'not_eligible' }, { 'at_capacity' }.
    Error SBQ_BAD_ARGUMENT when a number does not parse.
]]
local base = ARGV[1]
local id = ARGV[2]
local agentId = ARGV[3]
local capacity = tonumber(ARGV[4])
local now = tonumber(ARGV[5])
local alpha = tonumber(ARGV[6])
if not capacity or not now or not alpha then
  return redis.error_reply('SBQ_BAD_ARGUMENT capacity, now and alpha must be numbers')
end

local current = redis.call('HMGET', KEYS[1], 'skill', 'agentId')
local skill, holder = current[1], current[2]
if not skill then
  return { 'taken' }
end
if holder then
  if holder == agentId then
    return { 'claimed', redis.call('HGETALL', KEYS[1]) }
  end
  return { 'taken' }
end

local eligible = false
for i = 7, #ARGV do
  if ARGV[i] == skill then
    eligible = true
    break
  end
end
if not eligible then
  return { 'not_eligible' }
end
if redis.call('SCARD', KEYS[2]) >= capacity then
  return { 'at_capacity' }
end

redis.call('ZREM', base .. 'queue:' .. skill, id)
redis.call('HSET', KEYS[1], 'agentId', agentId, 'assignedAt', ARGV[5])
redis.call('SADD', KEYS[2], id)

-- The agent is evidently alive: its lease runs from now (never backwards).
local seen = tonumber(redis.call('ZSCORE', KEYS[3], agentId))
if not seen or seen < now then
  redis.call('ZADD', KEYS[3], ARGV[5], agentId)
end

-- Claim rate: moving average of the interval between successive claims
-- in the skill. An interval counts only when the previous claim left
-- conversations waiting (`backlog`): time with an empty queue is idle time,
-- not service time, and would inflate every estimate after a quiet spell.
local rateKey = base .. 'claim-rate:' .. skill
local rate = redis.call('HMGET', rateKey, 'lastClaimAt', 'avgIntervalMs', 'backlog')
local last = tonumber(rate[1])
local update = {}
if last and rate[3] == '1' then
  local interval = now - last
  if interval < 0 then
    interval = 0
  end
  local average = tonumber(rate[2])
  if average then
    average = alpha * interval + (1 - alpha) * average
  else
    average = interval
  end
  update[#update + 1] = 'avgIntervalMs'
  update[#update + 1] = string.format('%.17g', average)
end
if not last or now > last then
  update[#update + 1] = 'lastClaimAt'
  update[#update + 1] = ARGV[5]
end
update[#update + 1] = 'backlog'
if redis.call('ZCARD', base .. 'queue:' .. skill) > 0 then
  update[#update + 1] = '1'
else
  update[#update + 1] = '0'
end
redis.call('HSET', rateKey, unpack(update))

return { 'claimed', redis.call('HGETALL', KEYS[1]) }

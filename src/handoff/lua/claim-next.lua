--[[
  An agent claims the next conversation in its skills: the lowest score at
  the head of the skills' queues (highest priority, then earliest), ties
  broken by conversation id in byte order, as within one sorted set.

  An agent holding `capacity` conversations is `at_capacity` (whether or not
  anything waits); with nothing waiting in its skills, `empty`. Otherwise
  the conversation leaves its queue for the agent's held set, the claim
  counts towards the skill's claim rate (see includes/count-claim.lua), and the
  agent counts as seen at `now`. A queue entry without a ticket (never written by the queue itself)
  is dropped and the next one taken.

  Input:
    KEYS[1] the agent's held set          (<prefix>:{handoff}:agent:<agentId>:held)
    KEYS[2] agents by last seen           (<prefix>:{handoff}:agents:seen)
    KEYS[3], KEYS[4], ... the queue of each of the agent's skills, no repeats
                                          (<prefix>:{handoff}:queue:<skill>)

    ARGV[1] base of the area's keys       (<prefix>:{handoff}:), for the
            ticket and claim-rate keys of the conversation picked
    ARGV[2] agent id
    ARGV[3] the agent's capacity (integer >= 0)
    ARGV[4] now (ms since the epoch)
    ARGV[5] weight of the newest interval in the claim-rate average (0..1)

  Output:
    { 'claimed', <the ticket as HGETALL gives it> }, or { 'empty' },
    { 'at_capacity' }.
    Error SBQ_BAD_ARGUMENT when a number does not parse;
    SBQ_CORRUPT_TICKET when a ticket has no skill.
]]
--- @include "count-claim"

local base = ARGV[1]
local agentId = ARGV[2]
local capacity = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local alpha = tonumber(ARGV[5])
if not capacity or not now or not alpha then
  return redis.error_reply('SBQ_BAD_ARGUMENT capacity, now and alpha must be numbers')
end

if redis.call('SCARD', KEYS[1]) >= capacity then
  return { 'at_capacity' }
end

--- @include "bytes-less"

local id, ticketKey, skill, queueKey
while true do
  local bestId, bestScore, bestQueue
  for i = 3, #KEYS do
    local head = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
    if head[1] then
      local score = tonumber(head[2])
      if not bestId or score < bestScore or (score == bestScore and bytesLess(head[1], bestId)) then
        bestId, bestScore, bestQueue = head[1], score, KEYS[i]
      end
    end
  end
  if not bestId then
    return { 'empty' }
  end
  redis.call('ZREM', bestQueue, bestId)
  ticketKey = base .. 'ticket:' .. bestId
  if redis.call('EXISTS', ticketKey) == 1 then
    id = bestId
    queueKey = bestQueue
    skill = redis.call('HGET', ticketKey, 'skill')
    if not skill then
      return redis.error_reply('SBQ_CORRUPT_TICKET ticket without a skill: ' .. bestId)
    end
    break
  end
end

redis.call('HSET', ticketKey, 'agentId', agentId, 'assignedAt', ARGV[4])
redis.call('SADD', KEYS[1], id)

countClaim(KEYS[2], agentId, base, skill, now, ARGV[4], alpha)

return { 'claimed', redis.call('HGETALL', ticketKey) }

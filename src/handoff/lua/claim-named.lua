--[[
  An agent claims one named waiting conversation.

  In order: a conversation that is not queued, or is held by another agent,
  is `taken`; one the agent already holds is `claimed` again, unchanged (a
  retried claim); one waiting in a skill the agent lacks is `not_eligible`;
  an agent holding `capacity` conversations is `at_capacity`. Otherwise the
  conversation leaves its queue for the agent's held set, the claim counts
  towards the skill's claim rate (see includes/count-claim.lua), and the agent
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
--- @include "count-claim"

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

countClaim(KEYS[3], agentId, base, skill, now, ARGV[5], alpha)

return { 'claimed', redis.call('HGETALL', KEYS[1]) }

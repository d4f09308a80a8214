--[[
  Where a waiting conversation stands in its skill's queue, read in one
  step so that position and length agree.

  Input:
    KEYS[1] the conversation's ticket     (<prefix>:{handoff}:ticket:<conversationId>)

    ARGV[1] base of the area's keys       (<prefix>:{handoff}:), for the
            queue and claim-rate keys of the ticket's skill
    ARGV[2] conversation id

  Output:
    { skill, position (1 = next), length of the queue, average interval
    between claims in ms as a decimal string, '' before two claims },
    or nil when the conversation is not waiting (held, or no ticket).
]]
local current = redis.call('HMGET', KEYS[1], 'skill', 'agentId')
local skill, holder = current[1], current[2]
if not skill or holder then
  return false
end
local queueKey = ARGV[1] .. 'queue:' .. skill
local rank = redis.call('ZRANK', queueKey, ARGV[2])
if not rank then
  return false
end
local average = redis.call('HGET', ARGV[1] .. 'claim-rate:' .. skill, 'avgIntervalMs')
return { skill, rank + 1, redis.call('ZCARD', queueKey), average or '' }

--[[
  Puts a conversation in its skill's queue, unless it is already queued or
  held (in any skill, by anyone): then nothing changes.

  Input:
    KEYS[1] the conversation's ticket     (<prefix>:{handoff}:ticket:<conversationId>)
    KEYS[2] the queue of its skill        (<prefix>:{handoff}:queue:<skill>)

    ARGV[1] conversation id
    ARGV[2] score in the queue: (MAX_PRIORITY - priority) * 2^42 + (atHead ? 0 : enqueuedAt)
    ARGV[3], ARGV[4], ... the ticket's fields: field, value, field, value…

  Output:
    1 when it was queued, 0 when a ticket already existed.
]]
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
local fields = {}
for i = 3, #ARGV do
  fields[#fields + 1] = ARGV[i]
end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1

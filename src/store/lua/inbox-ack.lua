--[[
  Acknowledges inbox entries whose turns are complete and deletes them from
  the stream, so the stream holds only messages still waiting for (or in)
  their turn and its length is the inbox backlog. One script so that an
  entry is never acknowledged and left behind, or deleted while pending.

  Input:
    KEYS[1] the inbox stream         (<prefix>:{inbox}:stream)

    ARGV[1] the consumer group
    ARGV[2], ARGV[3], … entry ids

  Output:
    how many entries were acknowledged (0 for ids already acknowledged,
    e.g. by another host that finished the same entry after a claim).
]]
local ids = {}
for i = 2, #ARGV do
  ids[#ids + 1] = ARGV[i]
end
local acked = redis.call('XACK', KEYS[1], ARGV[1], unpack(ids))
redis.call('XDEL', KEYS[1], unpack(ids))
return acked

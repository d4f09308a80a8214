--[[
  Claims a channel conversation key for a conversation id, unless another id
  already owns it. First step of getOrCreate: the index key may sit in a
  different cluster slot than the record, so claiming is its own script, and
  whoever loses reads the winner's id from the reply.

  Input:
    KEYS[1] conversation-key index   (<prefix>:conv-key:<conversationKey>)

    ARGV[1] candidate conversation id

  Output:
    the id that owns the key: ARGV[1] when this call claimed it, otherwise
    the id claimed earlier.
]]
local owner = redis.call('GET', KEYS[1])
if owner then
  return owner
end
redis.call('SET', KEYS[1], ARGV[1])
return ARGV[1]

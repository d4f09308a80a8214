--[[
  Applies a patch to an existing conversation record and bumps updatedAt.
  One script so that a patch can never recreate a record that was never
  created (HSET alone would).

  Input:
    KEYS[1] conversation record      (<prefix>:{conv:<id>}:record)

    ARGV[1] now (ms since the epoch): the new updatedAt
    ARGV[2], ARGV[3], ... field, value, field, value… to set (may be none)

  Output:
    the record as HGETALL returns it, after the patch.
    Error SB_CONVERSATION_NOT_FOUND when the record does not exist.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then
  return redis.error_reply('SB_CONVERSATION_NOT_FOUND no such conversation record')
end
local fields = { 'updatedAt', ARGV[1] }
for i = 2, #ARGV do
  fields[#fields + 1] = ARGV[i]
end
redis.call('HSET', KEYS[1], unpack(fields))
return redis.call('HGETALL', KEYS[1])

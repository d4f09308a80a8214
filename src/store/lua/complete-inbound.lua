--[[
  Marks a customer message's turn complete (every effect saved): moves the
  record's `inboundDone` watermark up to it. Never moves it back; fenced
  like append-reply.lua. When asked, it also lets go of the turn lock, as
  release-lock.lua does: the holder's last write of its turns and its
  release in one call (one round trip per turn fewer).

  Input:
    KEYS[1] conversation record      (<prefix>:{conv:<id>}:record)
    KEYS[2] the turn lock            (<prefix>:{conv:<id>}:turn-lock)

    ARGV[1] id of the customer entry whose turn is complete
    ARGV[2] the caller's lock token; "" when there is no lock to check
    ARGV[3] "1": release the lock (its token is ARGV[2]) after the mark; "" otherwise

  Output:
    the watermark after the call.
    Error SB_CONVERSATION_NOT_FOUND when the record does not exist.
    Error SB_TURN_FENCED when the caller no longer holds the turn lock
    (nothing is marked or released then).
]]
if redis.call('EXISTS', KEYS[1]) == 0 then
  return redis.error_reply('SB_CONVERSATION_NOT_FOUND no such conversation record')
end
if ARGV[2] ~= '' and redis.call('GET', KEYS[2]) ~= ARGV[2] then
  return redis.error_reply('SB_TURN_FENCED the turn lock is held by someone else')
end
local done = tonumber(redis.call('HGET', KEYS[1], 'inboundDone') or '0')
local id = tonumber(ARGV[1])
if id > done then
  redis.call('HSET', KEYS[1], 'inboundDone', ARGV[1])
  done = id
end
if ARGV[3] == '1' and ARGV[2] ~= '' then
  redis.call('DEL', KEYS[2])
end
return done

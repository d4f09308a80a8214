--[[
  What a turn runner must still do in a conversation, up to a given entry:
  the transcript entries after `inboundDone` up to and including `upTo`
  (the caller keeps the customer messages among them and runs their turns in
  order), and the conversation record itself, which the turn reads next
  anyway (one round trip instead of two). Reading the watermark and the
  entries in one script keeps them in step with concurrent appends and
  trims; index arithmetic as in read-transcript.lua (ids in the list are
  consecutive).

  With the turn lock's key, it first takes the lock (SET NX PX, as
  RedisTurnLock does) and reads only if it got it: the turn's first read
  and its lock in one round trip.

  Input:
    KEYS[1] conversation record      (<prefix>:{conv:<id>}:record)
    KEYS[2] conversation transcript  (<prefix>:{conv:<id>}:transcript)
    KEYS[3] optional: the turn lock  (<prefix>:{conv:<id>}:turn-lock)

    ARGV[1] upTo: the newest entry id to include (integer >= 1)
    ARGV[2] with KEYS[3]: the lock token to take it with
    ARGV[3] with KEYS[3]: the lock's time to live, ms

  Output:
    { record, inboundDone, replyInbound, replyOrdinal, replyEntryId, entry JSON, … }:
    the record as HGETALL returns it, the watermarks (append-reply.lua's;
    0, -1 and 0 when no reply was ever appended) and the entries, oldest
    first; no entries when everything up to `upTo` is done.
    nil (nothing read, nothing taken) when KEYS[3] is held by someone else.
    Error SB_CONVERSATION_NOT_FOUND when the record does not exist (the
    lock is not taken then).
]]
local record = redis.call('HGETALL', KEYS[1])
local fields = {}
for i = 1, #record, 2 do
  fields[record[i]] = record[i + 1]
end
if not fields.lastEntryId then
  return redis.error_reply('SB_CONVERSATION_NOT_FOUND no such conversation record')
end
if KEYS[3] and not redis.call('SET', KEYS[3], ARGV[2], 'PX', ARGV[3], 'NX') then
  return false
end
local upTo = tonumber(ARGV[1])
local done = tonumber(fields.inboundDone or (upTo - 1))
local result = { record, done, tonumber(fields.replyInbound or '0'), tonumber(fields.replyOrdinal or '-1'), tonumber(fields.replyEntryId or '0') }
if done >= upTo then
  return result
end
local lastId = tonumber(fields.lastEntryId)
local length = redis.call('LLEN', KEYS[2])
local firstId = lastId - length + 1
local start = done + 1 - firstId
if start < 0 then
  start = 0
end
local stop = upTo - firstId
if stop >= length then
  stop = length - 1
end
if start > stop then
  return result
end
for _, entry in ipairs(redis.call('LRANGE', KEYS[2], start, stop)) do
  result[#result + 1] = entry
end
return result

--[[
  Appends one reply of a turn to the transcript, unless this turn already
  did: the step that makes replies at-most-once when a turn runs again
  (its host died and the inbox delivered the message to another). A reply
  is identified by the customer entry it answers and its ordinal in that
  turn; the record keeps a watermark of the last one appended
  (replyInbound, replyOrdinal, and its entry id replyEntryId, so a turn that
  runs again can find it), and turns of a conversation run in entry
  order, so anything at or below the watermark was appended (and handed to
  the platform) before. The caller sends the reply only when this script
  appended it.

  Fencing: with a lock token, the reply is refused unless the caller still
  holds the conversation's turn lock, so a host that lost its lock (it
  stalled past the lock's time to live and another host took over) can
  neither record nor send.

  An appended reply is announced here, on the conversation's event bus
  channel, in the same step as its write (announce-entry.lua): one round
  trip less than a PUBLISH of its own.

  Input:
    KEYS[1] conversation record      (<prefix>:{conv:<id>}:record)
    KEYS[2] conversation transcript  (<prefix>:{conv:<id>}:transcript)
    KEYS[3] the turn lock            (<prefix>:{conv:<id>}:turn-lock)

    ARGV[1] the entry as a JSON object without `id` (starts with "{")
    ARGV[2] cap: how many entries the transcript keeps (>= 1)
    ARGV[3] now (ms since the epoch): the record's new updatedAt
    ARGV[4] id of the customer entry this turn answers
    ARGV[5] ordinal of this reply within the turn (0, 1, …)
    ARGV[6] the caller's lock token; "" when there is no lock to check
    ARGV[7] the event bus channel of the conversation (<prefix>:events:conversation:<id>)

  Output:
    the new entry's id, or 0 when this reply was appended before (and
    nothing is announced).
    Error SB_CONVERSATION_NOT_FOUND when the record does not exist.
    Error SB_TURN_FENCED when the caller no longer holds the turn lock.
]]
--- @include "announce-entry"

if redis.call('EXISTS', KEYS[1]) == 0 then
  return redis.error_reply('SB_CONVERSATION_NOT_FOUND no such conversation record')
end
if ARGV[6] ~= '' and redis.call('GET', KEYS[3]) ~= ARGV[6] then
  return redis.error_reply('SB_TURN_FENCED the turn lock is held by someone else')
end
local marks = redis.call('HMGET', KEYS[1], 'replyInbound', 'replyOrdinal')
local markInbound = tonumber(marks[1] or '0')
local markOrdinal = tonumber(marks[2] or '-1')
local inbound = tonumber(ARGV[4])
local ordinal = tonumber(ARGV[5])
if inbound < markInbound or (inbound == markInbound and ordinal <= markOrdinal) then
  return 0
end
local id = redis.call('HINCRBY', KEYS[1], 'lastEntryId', 1)
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[3], 'replyInbound', ARGV[4], 'replyOrdinal', ARGV[5], 'replyEntryId', id)
local entry = '{"id":' .. string.format('%d', id)
if ARGV[1] == '{}' then
  entry = entry .. '}'
else
  entry = entry .. ',' .. string.sub(ARGV[1], 2)
end
redis.call('RPUSH', KEYS[2], entry)
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[2]), -1)
announceEntry(ARGV[7], ARGV[1], id)
return id

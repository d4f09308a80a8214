--[[
  Extends a lock's time to live, only if the caller still owns it: a turn
  longer than the lock's first time to live keeps it, and a host that lost
  it learns so.

  Input:
    KEYS[1] the lock key            (<prefix>:{conv:<id>}:turn-lock)

    ARGV[1] the owner's token (the value it was set with)
    ARGV[2] the new time to live, in ms

  Output:
    1 when extended, 0 when the lock is not held by this token.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0

--[[
  Releases a lock only if the caller still owns it: a lock that expired and
  was taken by another host must not be released by the old owner.

  Input:
    KEYS[1] the lock key            (<prefix>:{conv:<id>}:turn-lock)

    ARGV[1] the owner's token (the value it was set with)

  Output:
    1 when released, 0 when the lock was not held by this token.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0

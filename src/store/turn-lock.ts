/**
 * Makes the turns of one conversation run one at a time across hosts. Within
 * a host the TurnRunner's queue already orders them; the lock keeps a second
 * host (which received the next message of the same conversation) waiting.
 */
export interface TurnLock {
  /** Waits until the conversation is free, then holds it; call the result to let go. */
  acquire(conversationId: string): Promise<() => Promise<void>>;
  /**
   * Like `acquire`, and says what the holder needs to prove it still holds
   * the lock when it writes (its fencing token), and whether it lost it.
   */
  hold(conversationId: string): Promise<TurnLease>;
  /**
   * What a store needs to take the lock in the same call as the turn's
   * first read (ConversationStore.pendingInbound), when the locks live in
   * that store (Redis: one round trip instead of two); undefined when there
   * is no lock to take (one host). A claim the store took becomes a lease
   * with `adopt`; one it could not take (busy) is dropped, and `hold` waits.
   */
  claim(conversationId: string): LockClaim | undefined;
  adopt(conversationId: string, claim: LockClaim): TurnLease;
}

/** A lock not taken yet: its token and time to live, for a store script to take it with. */
export interface LockClaim {
  token: string;
  ttlMs: number;
  /** When the claim was made (ms since the epoch), no later than the command that takes it: the lease counts from here. */
  madeAt: number;
}

/** A held turn lock. */
export interface TurnLease {
  /**
   * The value the lock was taken with: scripts that write a turn's effects
   * check it against the lock key (src/store/lua/append-reply.lua), so a
   * holder that lost the lock can no longer write. Undefined for one host.
   */
  readonly token: string | undefined;
  /** True once the lock could not be renewed: someone else may hold it now. */
  readonly lost: boolean;
  /**
   * Whether the lock is surely still this holder's for a good while yet (a
   * third of its time to live, by this host's clock, counted from when the
   * command that took or last renewed it was sent). A holder checks it right
   * before doing what no fence can undo (calling a platform): a host that
   * stalled past its renewals learns so here, before another host can have
   * taken over.
   */
  surelyHeld(): boolean;
  release(): Promise<void>;
  /**
   * The lock was let go of by the write that ended the turn
   * (ConversationStore.completeInbound with `releaseLock`): renewals stop and
   * `release` has nothing left to send.
   */
  releasedWith(): void;
}

/** One host: its own turn queue is all the ordering there is to do. */
export class SingleHostTurnLock implements TurnLock {
  acquire(): Promise<() => Promise<void>> {
    return Promise.resolve(() => Promise.resolve());
  }

  hold(): Promise<TurnLease> {
    return Promise.resolve(this.adopt());
  }

  claim(): undefined {
    return undefined;
  }

  adopt(): TurnLease {
    return { token: undefined, lost: false, surelyHeld: () => true, release: () => Promise.resolve(), releasedWith: () => undefined };
  }
}

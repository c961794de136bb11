package dev.conduit.localstack.mongo;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: every writer, after applying its change, calls {@link #awaitDurable()}, which returns
 * once a commit that began after that call has completed. Writers that arrive while a commit runs
 * wait for it to end, and then the first of them commits for all of them at once, so N concurrent
 * writers cost far fewer than N commits.
 *
 * <p>Correctness rests on one ordering: a writer takes its ticket only after its change is applied,
 * and a commit covers every ticket taken before it began (it reads the ticket counter first). A
 * writer whose ticket is covered by a completed commit returns without committing.
 */
public final class GroupCommit {

    private final Runnable commit;
    private final AtomicLong requested = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    /** The highest ticket known to be durable; guarded by {@link #lock}. */
    private long durable;
    private final AtomicLong commits = new AtomicLong();

    /** {@code commit} makes every change applied before it began durable, or throws. */
    public GroupCommit(Runnable commit) {
        this.commit = commit;
    }

    /** Blocks until every change this thread applied before the call is durable; rethrows a failed commit. */
    public void awaitDurable() {
        long ticket = requested.incrementAndGet();
        lock.lock();
        try {
            if (durable >= ticket) {
                return; // a commit that began after our ticket was taken has completed
            }
            long covered = requested.get();
            commit.run();
            commits.incrementAndGet();
            durable = covered;
        } finally {
            lock.unlock();
        }
    }

    /** How many commits ran; with concurrent writers, fewer than the calls to {@link #awaitDurable()}. */
    public long commits() {
        return commits.get();
    }

    /** How many times {@link #awaitDurable()} was called. */
    public long requests() {
        return requested.get();
    }
}

package io.kava.store;

/** A read or watch asked for a revision older than the compaction point (the API server answers 410 Gone). */
public final class CompactedException extends StoreException {
  private final long compactRevision;

  public CompactedException(long requested, long compactRevision) {
    super("required revision " + requested + " has been compacted (compacted up to " + compactRevision + ")");
    this.compactRevision = compactRevision;
  }

  public long compactRevision() { return compactRevision; }
}

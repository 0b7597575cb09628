package dev.mediaflow.ops.deadletter;

import java.util.Iterator;
import java.util.TreeSet;

/**
 * How far re-driving has got on one partition of a dead-letter topic, as kept in the redrive
 * group's committed offset and its metadata.
 *
 * <p>The committed offset is the first letter not yet settled: every letter before it was
 * re-driven or can never be. A redrive with filters leaves some letters for a later one (other
 * stage, project or run); the position then stops at the first of them, and the letters it
 * re-drives beyond it are listed in the metadata ({@code redriven=12,15-18}) so that no later
 * redrive re-drives them again. Kafka keeps offset metadata only up to a size
 * ({@code offset.metadata.max.bytes}, 4096 by default), so the list is bounded: {@link #canRemember}.
 *
 * <p>A walk goes through letters in offset order and reports each one as {@link #settled},
 * {@link #redriven} or {@link #left}, then ends with {@link #walkedTo}.
 */
public final class RedriveProgress {
  /** Metadata size kept under Kafka's default limit, with room for the prefix. */
  static final int MAX_METADATA_CHARS = 3_500;
  private static final String PREFIX = "redriven=";

  private long position;
  private final TreeSet<Long> redriven = new TreeSet<>();
  private boolean blocked;

  private RedriveProgress(long position) {
    this.position = position;
  }

  /**
   * @param position the committed offset (or the partition's first offset when none)
   * @param metadata the committed offset's metadata; null or empty for none
   * @throws IllegalArgumentException if the metadata is not ours: re-driving on would risk doubles
   */
  public static RedriveProgress parse(long position, String metadata) {
    RedriveProgress progress = new RedriveProgress(position);
    if (metadata == null || metadata.isEmpty()) {
      return progress;
    }
    if (!metadata.startsWith(PREFIX)) {
      throw new IllegalArgumentException("unexpected redrive progress metadata: " + metadata);
    }
    String list = metadata.substring(PREFIX.length());
    try {
      for (String range : list.isEmpty() ? new String[0] : list.split(",")) {
        int dash = range.indexOf('-');
        long first = Long.parseLong(dash < 0 ? range : range.substring(0, dash));
        long last = dash < 0 ? first : Long.parseLong(range.substring(dash + 1));
        for (long o = first; o <= last; o++) {
          progress.redriven.add(o);
        }
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("unexpected redrive progress metadata: " + metadata, e);
    }
    progress.prune();
    return progress;
  }

  /** The first letter not settled: where the next walk starts and what the group commits. */
  public long position() {
    return position;
  }

  /** Whether the letter was re-driven by an earlier walk that had left letters before it. */
  public boolean alreadyRedriven(long offset) {
    return redriven.contains(offset);
  }

  /** The letter needs no redrive (done before, or never possible). */
  public void settled(long offset) {
    if (!blocked) {
      position = Math.max(position, offset + 1);
      prune();
    }
  }

  /** The letter was re-driven now. */
  public void redriven(long offset) {
    if (blocked) {
      redriven.add(offset);
    } else {
      settled(offset);
    }
  }

  /** The letter is left for a later redrive: the position stops here. */
  public void left(long offset) {
    if (!blocked) {
      blocked = true;
      position = Math.max(position, offset);
      prune();
    }
  }

  /** The walk reached {@code end} (exclusive): without letters left, the position moves there. */
  public void walkedTo(long end) {
    if (!blocked) {
      position = Math.max(position, end);
      prune();
    }
  }

  /** Whether re-driving this letter now could be recorded without passing the metadata limit. */
  public boolean canRemember(long offset) {
    if (!blocked) {
      return true;
    }
    TreeSet<Long> with = new TreeSet<>(redriven);
    with.add(offset);
    return encode(with).length() <= MAX_METADATA_CHARS;
  }

  /** The metadata to commit with {@link #position()}: empty when nothing beyond it was re-driven. */
  public String metadata() {
    return redriven.isEmpty() ? "" : encode(redriven);
  }

  private void prune() {
    redriven.headSet(position).clear();
  }

  private static String encode(TreeSet<Long> offsets) {
    StringBuilder out = new StringBuilder(PREFIX);
    Iterator<Long> it = offsets.iterator();
    long first = it.next();
    long last = first;
    while (it.hasNext()) {
      long next = it.next();
      if (next != last + 1) {
        appendRange(out, first, last);
        first = next;
      }
      last = next;
    }
    appendRange(out, first, last);
    return out.toString();
  }

  private static void appendRange(StringBuilder out, long first, long last) {
    if (out.length() > PREFIX.length()) {
      out.append(',');
    }
    out.append(first);
    if (last > first) {
      out.append('-').append(last);
    }
  }
}

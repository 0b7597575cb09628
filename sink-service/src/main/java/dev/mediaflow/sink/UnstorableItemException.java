package dev.mediaflow.sink;

/**
 * The sink's own checks found that an item can never be stored as it is (for example an object
 * key longer than the store accepts, or two objects with the same role): nothing was written,
 * and retrying would fail the same way, so the item is dead-lettered.
 *
 * <p>A type of our own, not {@link IllegalArgumentException}, so that an argument check deep in
 * a library (which may well be a bug or a passing condition) is never mistaken for a verdict on
 * the item. See {@link StoreFailure#classify}.
 */
public class UnstorableItemException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public UnstorableItemException(String message) {
    super(message);
  }
}

package dev.mediaflow.transform.html;

import dev.mediaflow.transform.EncodedMedia;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the stored HTML document (media-semantics.md, "Html"; wandb
 * {@code sdk/data_types/html.py}), byte for byte as wandb.Html writes it.
 *
 * <p>wandb's {@code Html(data, inject=True)}:
 * <ul>
 *   <li>A file is read with {@code open(path, encoding="utf-8")}: strict UTF-8 (an invalid
 *       file raises), and Python's universal newlines turn {@code \r\n} and lone {@code \r}
 *       into {@code \n}. With {@code inject=False} the original file is stored untouched;
 *       otherwise the text is injected and written back as UTF-8.</li>
 *   <li>A string is written as UTF-8 unchanged (injected unless {@code inject=False}).</li>
 *   <li>{@code _inject_head}: with {@code "<head>"} in the text (exact, case-sensitive,
 *       first occurrence), {@link #INJECTED_HEAD} goes right after it; else with
 *       {@code "<html>"}, it becomes {@code "<html><head>" + INJECTED + "</head>"}; else the
 *       snippet is prepended. Then the whole text is {@code strip()}ped of Python whitespace
 *       (which, unlike Java's {@code String.strip}, includes U+0085, U+00A0, U+2007 and
 *       U+202F).</li>
 * </ul>
 * Files must end with {@code .html} or {@code .htm} (case-insensitive). Output: extension
 * {@code html}, content type {@code text/html; charset=utf-8}; metadata {@code bytes},
 * {@code injected}.
 *
 * <p>Stateless and thread-safe.
 */
public final class HtmlDocument {

  /** What wandb.Html inserts into {@code <head>}. */
  public static final String INJECTED_HEAD = "<base target=\"_blank\"><link rel=\"stylesheet\" "
      + "type=\"text/css\" href=\"https://app.wandb.ai/normalize.css\" />";

  /** Content type of the stored document. */
  public static final String CONTENT_TYPE = "text/html; charset=utf-8";

  private HtmlDocument() {}

  /**
   * An HTML string.
   *
   * @param html the document text
   * @param inject whether to inject wandb's default styles (wandb's default: true)
   * @throws HtmlRejectedException when {@code html} is null or holds an unpaired surrogate
   */
  public static EncodedMedia build(String html, boolean inject) {
    if (html == null) {
      throw new HtmlRejectedException("html is missing");
    }
    String text = inject ? injectHead(html) : html;
    return result(encode(text), inject);
  }

  /**
   * An HTML file.
   *
   * @param fileName the producer's file name; must end with .html or .htm
   * @param data the file bytes, UTF-8; returned untouched (same array) when {@code inject} is
   *     false
   * @param inject whether to inject wandb's default styles (wandb's default: true)
   * @throws HtmlRejectedException for another ending or bytes that are not valid UTF-8
   */
  public static EncodedMedia fromFile(String fileName, byte[] data, boolean inject) {
    String name = fileName == null ? "" : fileName;
    String type = extension(name);
    if (!type.equals("html") && !type.equals("htm")) {
      throw new HtmlRejectedException("unsupported html file type '" + type + "' for '" + name
          + "' (supported: html, htm)");
    }
    if (data == null) {
      throw new HtmlRejectedException("html file '" + name + "' has no content");
    }
    String text = decode(name, data); // wandb reads the file even when it will not inject
    if (!inject) {
      return result(data, false);
    }
    return result(encode(injectHead(universalNewlines(text))), true);
  }

  /** wandb's {@code Html._inject_head}, exactly. */
  static String injectHead(String html) {
    String out;
    int head = html.indexOf("<head>");
    if (head >= 0) {
      int after = head + "<head>".length();
      out = html.substring(0, after) + INJECTED_HEAD + html.substring(after);
    } else {
      int root = html.indexOf("<html>");
      if (root >= 0) {
        out = html.substring(0, root) + "<html><head>" + INJECTED_HEAD + "</head>"
            + html.substring(root + "<html>".length());
      } else {
        out = INJECTED_HEAD + html;
      }
    }
    return pythonStrip(out);
  }

  /** Python's {@code str.strip()}: removes leading and trailing characters with {@code isspace()}. */
  static String pythonStrip(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isPythonSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isPythonSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  /**
   * Python 3's {@code str.isspace()} (bidi class WS, B or S, or category Zs); all such code
   * points are in the BMP.
   */
  static boolean isPythonSpace(char c) {
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0
        || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029
        || c == 0x202F || c == 0x205F || c == 0x3000;
  }

  /** Python's universal newlines on read: {@code \r\n} and lone {@code \r} become {@code \n}. */
  static String universalNewlines(String s) {
    if (s.indexOf('\r') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r') {
        b.append('\n');
        if (i + 1 < s.length() && s.charAt(i + 1) == '\n') {
          i++;
        }
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static String decode(String name, byte[] data) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data)).toString();
    } catch (CharacterCodingException e) {
      throw new HtmlRejectedException("html file '" + name + "' is not valid UTF-8", e);
    }
  }

  private static byte[] encode(String text) {
    try {
      ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(text));
      byte[] out = new byte[b.remaining()];
      b.get(out);
      return out;
    } catch (CharacterCodingException e) {
      // Python's UTF-8 codec refuses lone surrogates too
      throw new HtmlRejectedException("html text holds an unpaired surrogate and cannot be UTF-8", e);
    }
  }

  private static EncodedMedia result(byte[] data, boolean injected) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("bytes", data.length);
    metadata.put("injected", injected);
    return new EncodedMedia(data, "html", CONTENT_TYPE, metadata, List.of());
  }

  private static String extension(String name) {
    int dot = name.lastIndexOf('.');
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    return dot > slash ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
  }
}

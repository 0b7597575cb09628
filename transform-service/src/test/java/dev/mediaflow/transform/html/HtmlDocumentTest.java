package dev.mediaflow.transform.html;

import dev.mediaflow.transform.EncodedMedia;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.mediaflow.transform.MediaRejectedException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Expected texts were produced by running wandb's {@code Html._inject_head} body in Python 3.11
 * on the same inputs.
 */
class HtmlDocumentTest {

  private static final String INJ = "<base target=\"_blank\"><link rel=\"stylesheet\" type=\"text/css\" "
      + "href=\"https://app.wandb.ai/normalize.css\" />";

  static String text(EncodedMedia html) {
    return new String(html.data(), StandardCharsets.UTF_8);
  }

  // ----------------------------------------------------------------------------- injection

  @Test
  void shouldInjectRightAfterAnExistingHead() {
    // Given
    String html = "<html><head><title>t</title></head><body>hi</body></html>";

    // When
    EncodedMedia out = HtmlDocument.build(html, true);

    // Then
    assertThat(text(out)).isEqualTo("<html><head>" + INJ + "<title>t</title></head><body>hi</body></html>");
    assertThat(out.extension()).isEqualTo("html");
    assertThat(out.contentType()).isEqualTo("text/html; charset=utf-8");
    assertThat(out.metadata()).containsExactly(entry("bytes", out.data().length), entry("injected", true));
    assertThat(out.warnings()).isEmpty();
  }

  @Test
  void shouldCreateAHeadAfterHtmlWhenThereIsNone() {
    // When
    EncodedMedia out = HtmlDocument.build("<html><body>hi</body></html>", true);

    // Then
    assertThat(text(out)).isEqualTo("<html><head>" + INJ + "</head><body>hi</body></html>");
  }

  @Test
  void shouldPrependTheStylesToAFragment() {
    // When
    EncodedMedia out = HtmlDocument.build("<p>hi</p>", true);

    // Then
    assertThat(text(out)).isEqualTo(INJ + "<p>hi</p>");
  }

  @Test
  void shouldInjectIntoAnEmptyString() {
    // When / Then
    assertThat(text(HtmlDocument.build("", true))).isEqualTo(INJ);
  }

  @Test
  void shouldMatchOnlyTheExactLowerCaseHeadTag() {
    // When: "<HEAD>" and "<head lang=...>" are not "<head>"
    String upper = text(HtmlDocument.build("<HEAD></HEAD><p>", true));
    String withAttribute = text(HtmlDocument.build("<head lang='en'></head><html>x</html>", true));

    // Then
    assertThat(upper).isEqualTo(INJ + "<HEAD></HEAD><p>");
    assertThat(withAttribute).isEqualTo("<head lang='en'></head><html><head>" + INJ + "</head>x</html>");
  }

  @Test
  void shouldInjectOnlyIntoTheFirstHead() {
    // When / Then
    assertThat(text(HtmlDocument.build("<head>a</head><head>b</head>", true)))
        .isEqualTo("<head>" + INJ + "a</head><head>b</head>");
  }

  @Test
  void shouldStripPythonWhitespaceAfterInjecting() {
    // Given: trailing U+00A0 and U+0085 are whitespace to Python's str.strip, not to Java's
    String html = "  \n<p>x</p>\u00a0\u0085 ";

    // When
    EncodedMedia out = HtmlDocument.build(html, true);

    // Then: the leading blanks now sit after the prepended styles, so only the tail goes
    assertThat(text(out)).isEqualTo(INJ + "  \n<p>x</p>");
  }

  @Test
  void shouldStripAroundAHeadDocument() {
    // When
    EncodedMedia out = HtmlDocument.build("\u3000\t<html><head></head></html>\r\n\u2029", true);

    // Then
    assertThat(text(out)).isEqualTo("<html><head>" + INJ + "</head></html>");
  }

  @Test
  void shouldNotStripZeroWidthSpace() {
    // When / Then: U+200B is not whitespace to Python
    assertThat(text(HtmlDocument.build("\u200b<p>\u200b", true))).isEqualTo(INJ + "\u200b<p>\u200b");
  }

  @Test
  void shouldKnowPythonsWhitespaceExactly() {
    // Given: Python 3.11 [c for c in range(0x110000) if chr(c).isspace()]
    int[] python = {0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001,
        0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f,
        0x3000};

    // When
    int[] ours = java.util.stream.IntStream.rangeClosed(0, 0xFFFF)
        .filter(c -> HtmlDocument.isPythonSpace((char) c)).toArray();

    // Then
    assertThat(ours).containsExactly(python);
  }

  // ----------------------------------------------------------------------------- no injection

  @Test
  void shouldKeepAStringUnchangedWithoutInjection() {
    // Given
    String html = "  <html>\r\n<head></head>é</html>\n";

    // When
    EncodedMedia out = HtmlDocument.build(html, false);

    // Then
    assertThat(text(out)).isEqualTo(html);
    assertThat(out.metadata()).containsEntry("injected", false);
  }

  @Test
  void shouldStoreAFileUntouchedWithoutInjection() {
    // Given
    byte[] file = "<html>\r\n<body>x</body></html>\r\n".getBytes(StandardCharsets.UTF_8);

    // When
    EncodedMedia out = HtmlDocument.fromFile("page.html", file, false);

    // Then
    assertThat(out.data()).isSameAs(file);
    assertThat(out.metadata()).containsExactly(entry("bytes", file.length), entry("injected", false));
  }

  // ----------------------------------------------------------------------------- files

  @Test
  void shouldReadAFileWithPythonsUniversalNewlinesBeforeInjecting() {
    // Given
    byte[] file = "<html>\r\n<body>x\r</body>\n</html>\r\n".getBytes(StandardCharsets.UTF_8);

    // When
    EncodedMedia out = HtmlDocument.fromFile("page.html", file, true);

    // Then: open(path, encoding="utf-8").read() gives '<html>\n<body>x\n</body>\n</html>\n'
    assertThat(text(out)).isEqualTo("<html><head>" + INJ + "</head>\n<body>x\n</body>\n</html>");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a.html", "a.htm", "dir/A.HTML", "b.v1.Htm"})
  void shouldAcceptHtmlAndHtmFiles(String name) {
    // When
    EncodedMedia out = HtmlDocument.fromFile(name, "<p>é</p>".getBytes(StandardCharsets.UTF_8), true);

    // Then
    assertThat(text(out)).isEqualTo(INJ + "<p>é</p>");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a.txt", "a.xhtml", "a", "html", "a.html.gz"})
  void shouldRejectOtherFileEndings(String name) {
    // When / Then
    assertThatThrownBy(() -> HtmlDocument.fromFile(name, new byte[] {'x'}, true))
        .isInstanceOf(HtmlRejectedException.class)
        .isInstanceOf(MediaRejectedException.class)
        .hasMessageStartingWith("unsupported html file type '")
        .hasMessageEndingWith("(supported: html, htm)");
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void shouldRejectAFileThatIsNotUtf8EvenWithoutInjection(boolean inject) {
    // Given: Latin-1 "é" is not UTF-8; wandb reads the file as UTF-8 either way
    byte[] file = {'<', 'p', '>', (byte) 0xE9, '<', '/', 'p', '>'};

    // When / Then
    assertThatThrownBy(() -> HtmlDocument.fromFile("a.html", file, inject))
        .isInstanceOf(HtmlRejectedException.class)
        .hasMessage("html file 'a.html' is not valid UTF-8");
  }

  @Test
  void shouldKeepAByteOrderMarkAsText() {
    // Given: Python's utf-8 codec keeps U+FEFF, and strip() does not remove it
    byte[] file = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '<', 'p', '>'};

    // When
    EncodedMedia out = HtmlDocument.fromFile("a.html", file, true);

    // Then
    assertThat(text(out)).isEqualTo(INJ + "\uFEFF<p>");
  }

  @Test
  void shouldRejectMissingHtml() {
    // When / Then
    assertThatThrownBy(() -> HtmlDocument.build(null, true))
        .isInstanceOf(HtmlRejectedException.class)
        .hasMessage("html is missing");
    assertThatThrownBy(() -> HtmlDocument.fromFile("a.html", null, true))
        .isInstanceOf(HtmlRejectedException.class)
        .hasMessage("html file 'a.html' has no content");
  }

  @Test
  void shouldRejectAStringWithAnUnpairedSurrogate() {
    // When / Then
    assertThatThrownBy(() -> HtmlDocument.build("<p>\uD800</p>", false))
        .isInstanceOf(HtmlRejectedException.class)
        .hasMessageContaining("unpaired surrogate");
  }
}

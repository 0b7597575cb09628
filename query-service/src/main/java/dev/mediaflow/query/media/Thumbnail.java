package dev.mediaflow.query.media;

/** An encoded thumbnail: its bytes, content type and pixel size. */
public record Thumbnail(byte[] bytes, String contentType, int width, int height) {}

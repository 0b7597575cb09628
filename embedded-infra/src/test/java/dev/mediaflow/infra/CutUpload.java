package dev.mediaflow.infra;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A PUT that announces more bytes than it sends, as a client or a JVM dying mid-upload does: the
 * SDK cannot be made to do that, so the request is written by hand (signature v2, which S3Proxy
 * accepts and which does not sign the body).
 */
final class CutUpload implements AutoCloseable {

    private final Socket socket;

    private CutUpload(Socket socket) {
        this.socket = socket;
    }

    /**
     * Opens a PUT of {@code announced} bytes to {@code bucket/key} and sends only {@code sent} of them.
     *
     * @return the open upload; {@link #close()} cuts it
     */
    static CutUpload start(int port, String bucket, String key, int announced, int sent) throws IOException {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
        String contentType = "application/octet-stream";
        String resource = "/" + bucket + "/" + key;
        String signature = sign("PUT\n\n" + contentType + "\n" + date + "\n" + resource);
        Socket socket = new Socket(FreePort.LOOPBACK_HOST, port);
        OutputStream out = socket.getOutputStream();
        String head = "PUT " + resource + " HTTP/1.1\r\n"
                + "Host: " + FreePort.LOOPBACK_HOST + ":" + port + "\r\n"
                + "Date: " + date + "\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + "Content-Length: " + announced + "\r\n"
                + "Authorization: AWS " + S3Server.ACCESS_KEY + ":" + signature + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[sent]);
        out.flush();
        return new CutUpload(socket);
    }

    /** Cuts the connection without sending the rest. */
    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static String sign(String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(S3Server.SECRET_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }
}

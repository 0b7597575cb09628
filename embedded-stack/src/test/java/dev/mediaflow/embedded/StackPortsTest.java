package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StackPortsTest {

  @Test
  void shouldReuseTheRecordedPortsWhenTheyAreStillFree() {
    // Given the ports an earlier start recorded
    Properties saved = new StackPorts(8080, 40001, 40002, 40003, 40004).toProperties();
    List<String> moved = new ArrayList<>();

    // When the next start chooses its ports while all are free
    StackPorts ports = StackPorts.reuse(9090, saved, port -> true, () -> 50000, moved);

    // Then it keeps every recorded one, and the gateway port given now
    assertThat(ports).isEqualTo(new StackPorts(9090, 40001, 40002, 40003, 40004));
    assertThat(moved).isEmpty();
  }

  @Test
  void shouldPickANewPortAndSaySoWhenARecordedOneIsTaken() {
    // Given recorded ports of which the registry's is now in use elsewhere
    Properties saved = new StackPorts(8080, 40001, 40002, 40003, 40004).toProperties();
    List<String> moved = new ArrayList<>();

    // When the next start chooses
    StackPorts ports = StackPorts.reuse(8080, saved, port -> port != 40003, () -> 50000, moved);

    // Then only the registry moves, and the reason is given
    assertThat(ports).isEqualTo(new StackPorts(8080, 40001, 40002, 50000, 40004));
    assertThat(moved).containsExactly("registry port 40003 is in use now; using 50000");
  }

  @Test
  void shouldPickDistinctFreePortsOtherThanTheGatewayOnAFirstStart() {
    // Given no recorded ports and a port picker that first offers the gateway's port, then repeats itself
    AtomicInteger calls = new AtomicInteger();
    int[] offers = {8080, 41000, 41000, 41001, 41002, 41003};

    // When the first start chooses
    StackPorts ports = StackPorts.reuse(8080, new Properties(), port -> true, () -> offers[calls.getAndIncrement()],
        new ArrayList<>());

    // Then no port is used twice and none is the gateway's
    assertThat(Set.of(ports.broker(), ports.controller(), ports.registry(), ports.s3()))
        .containsExactlyInAnyOrder(41000, 41001, 41002, 41003);
  }

  @Test
  void shouldIgnoreADamagedRecordAndPickAFreshPort() {
    // Given a ports file whose broker entry is not a port
    Properties saved = new StackPorts(8080, 40001, 40002, 40003, 40004).toProperties();
    saved.setProperty("broker", "eighty");

    // When the next start chooses
    StackPorts ports = StackPorts.reuse(8080, saved, port -> true, () -> 50000, new ArrayList<>());

    // Then the broker gets a fresh free port and the others are kept
    assertThat(ports).isEqualTo(new StackPorts(8080, 50000, 40002, 40003, 40004));
  }

  @Test
  void shouldPutTheKeyIntoTheCurlExampleOrTheVariableHoldingIt() {
    // Given the gateway and database of a running up
    Path db = Path.of("/data/metadata.db");

    // When the try-it lines are made with and without a key
    String withKey = String.join("\n", UpText.tryIt("http://127.0.0.1:8080", db, Optional.of("mf_secret")));
    String withoutKey = String.join("\n", UpText.tryIt("http://127.0.0.1:8080", db, Optional.empty()));

    // Then the first sends the key, the second the variable a user keeps it in; both post to the gateway
    assertThat(withKey).contains("-H 'Authorization: Bearer mf_secret'");
    assertThat(withoutKey).contains("-H \"Authorization: Bearer $MEDIAFLOW_API_KEY\"").doesNotContain("mf_secret");
    assertThat(withoutKey).contains("http://127.0.0.1:8080/v1/projects/my-project/runs/run-1/log",
        "sqlite3 /data/metadata.db");
  }
}

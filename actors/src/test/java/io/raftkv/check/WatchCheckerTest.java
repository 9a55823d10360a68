package io.raftkv.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.check.WatchChecker.Event;
import io.raftkv.check.WatchChecker.Revision;
import io.raftkv.check.WatchChecker.Write;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The watch checker accepts a right stream and names each kind of wrong one. */
class WatchCheckerTest {

  private static byte[] v(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static final List<Write> WRITES = List.of(
      new Write("a", v("1"), 5), new Write("b", v("1"), 6), new Write("a", v("2"), 8), new Write("a", null, 9),
      new Write("a", v("3"), 0)); // the last one's outcome is unknown

  private static final List<Revision> RIGHT = List.of(
      new Revision(5, List.of(new Event("a", v("1"), 1))),
      new Revision(6, List.of(new Event("b", v("1"), 1))),
      new Revision(8, List.of(new Event("a", v("2"), 2))),
      new Revision(9, List.of(new Event("a", null, 0))),
      new Revision(11, List.of(new Event("a", v("3"), 1))));

  @Test
  void aRightStreamPasses() {
    assertEquals(List.of(), WatchChecker.check(5, WRITES, RIGHT));
    assertEquals(List.of(), WatchChecker.check(7, WRITES, RIGHT.subList(2, 5)), "from a later start");
    assertEquals(List.of(), WatchChecker.check(5, WRITES, RIGHT.subList(0, 4)), "the unknown write may be missing");
  }

  @Test
  void aRepeatedRevisionIsFound() {
    List<Revision> repeated = List.of(RIGHT.get(0), RIGHT.get(1), RIGHT.get(1), RIGHT.get(2), RIGHT.get(3));
    assertTrue(WatchChecker.check(5, WRITES, repeated).contains("revision 6 comes after 6: repeated"));
  }

  @Test
  void aMissingWriteIsFound() {
    List<Revision> missing = List.of(RIGHT.get(0), RIGHT.get(2), RIGHT.get(3));
    assertEquals(List.of("the write to 'b' acknowledged at revision 6 is missing"), WatchChecker.check(5, WRITES, missing));
  }

  @Test
  void anEventNoWriteMadeOrAtTheWrongRevisionIsFound() {
    List<Revision> invented = List.of(RIGHT.get(0), RIGHT.get(1), new Revision(7, List.of(new Event("a", v("x"), 2))));
    assertTrue(WatchChecker.check(5, WRITES.subList(0, 2), invented).contains("key 'a' at revision 7: no write made it"));
    List<Revision> moved = List.of(RIGHT.get(0), new Revision(7, List.of(new Event("b", v("1"), 1))));
    List<String> found = WatchChecker.check(5, WRITES.subList(0, 2), moved);
    assertTrue(found.contains("key 'b' at revision 7: no write made it"), found.toString());
    assertTrue(found.contains("the write to 'b' acknowledged at revision 6 is missing"), found.toString());
  }

  @Test
  void aVersionThatSkipsIsFound() {
    List<Revision> skipping = List.of(RIGHT.get(0), RIGHT.get(1), new Revision(8, List.of(new Event("a", v("2"), 3))));
    assertEquals(List.of("key 'a' at revision 8 has version 3 after 1"), WatchChecker.check(5, WRITES.subList(0, 3), skipping));
  }

  @Test
  void aStreamThatStopsShortIsFound() {
    assertEquals(List.of("the stream ended at revision 6, before the write to 'a' at 8",
            "the stream ended at revision 6, before the write to 'a' at 9"),
        WatchChecker.check(5, WRITES, RIGHT.subList(0, 2)));
  }
}

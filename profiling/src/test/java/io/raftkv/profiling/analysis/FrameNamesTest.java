package io.raftkv.profiling.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FrameNamesTest {

  @Test
  void lambdaAndHiddenClassNumbersAreRemoved() {
    assertEquals("org.junit.Foo$$Lambda",
        FrameNames.javaClass("org.junit.Foo$$Lambda$499+0x00007fe8740df290.1671179293"));
    assertEquals("Work2$$Lambda", FrameNames.javaClass("Work2$$Lambda$34.0x00007f8c84009000"));
    assertEquals("Work2$$Lambda", FrameNames.javaClass("Work2$$Lambda$34/0x0000000800c03000"));
    assertEquals("java.lang.invoke.LambdaForm$MH", FrameNames.javaClass("java.lang.invoke.LambdaForm$MH+0x0000000800c0c400.12"));
    assertEquals("io.raftkv.raft.Leader$1", FrameNames.javaClass("io.raftkv.raft.Leader$1"));
  }

  @Test
  void arrayClassesAreWrittenAsInJava() {
    assertEquals("byte[]", FrameNames.className("[B"));
    assertEquals("long[][]", FrameNames.className("[[J"));
    assertEquals("java.lang.Object[]", FrameNames.className("[Ljava.lang.Object;"));
    assertEquals("java.lang.String", FrameNames.className("java.lang.String"));
  }

  @Test
  void librariesAreTellingNativeFramesFromJavaNativeMethods() {
    assertTrue(FrameNames.isLibrary("libc.so.6"));
    assertTrue(FrameNames.isLibrary("libjvm.so"));
    assertTrue(FrameNames.isLibrary(""));
    assertTrue(FrameNames.isLibrary("[vdso]"));
    assertFalse(FrameNames.isLibrary("sun.nio.ch.FileDispatcherImpl"));
  }
}

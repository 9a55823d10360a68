package io.raftkv.persistence.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every class of this package that travels (the records of the sealed command and result
 * hierarchies and what they hold) has a Kryo id in 150-199 in reference.conf, so a new record
 * cannot be forgotten. Not a serialization test: the serializer is tested where it lives.
 */
class KvKryoRegistrationTest {

  private static final int FIRST_ID = 150;
  private static final int LAST_ID = 199;

  @Test
  void everyTravellingClassIsRegisteredInTheKvRange() {
    Map<String, Integer> registered = registrations();
    List<Class<?>> travelling = new ArrayList<>(List.of(RequestId.class, KvEntry.class));
    collectRecords(KvCommand.class, travelling);
    collectRecords(KvResult.class, travelling);
    for (Class<?> type : travelling) {
      Integer id = registered.get(type.getName());
      assertTrue(id != null, type.getName() + " is not in raftkv.kryo.classes");
      assertTrue(id >= FIRST_ID && id <= LAST_ID, type.getName() + " has id " + id);
    }
  }

  @Test
  void everyIdInTheKvRangeNamesAClassOfThisPackageOnce() throws ClassNotFoundException {
    Map<String, Integer> registered = registrations();
    TreeSet<Integer> ids = new TreeSet<>();
    for (Map.Entry<String, Integer> entry : registered.entrySet()) {
      int id = entry.getValue();
      assertTrue(ids.add(id), "id " + id + " is used twice");
      if (id >= FIRST_ID && id <= LAST_ID) {
        Class<?> type = Class.forName(entry.getKey());
        assertEquals(KvCommand.class.getPackage(), type.getPackage(), entry.getKey());
      }
    }
  }

  private static Map<String, Integer> registrations() {
    Config config = ConfigFactory.parseResources("reference.conf");
    Map<String, Integer> registered = new HashMap<>();
    for (Map.Entry<String, ConfigValue> entry :
        config.getObject("raftkv.kryo.classes").entrySet()) {
      registered.put(entry.getKey(), ((Number) entry.getValue().unwrapped()).intValue());
    }
    return registered;
  }

  private static void collectRecords(Class<?> sealed, List<Class<?>> into) {
    for (Class<?> permitted : sealed.getPermittedSubclasses()) {
      if (permitted.isRecord()) {
        into.add(permitted);
      } else {
        collectRecords(permitted, into);
      }
    }
  }
}

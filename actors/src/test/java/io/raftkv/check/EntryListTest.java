package io.raftkv.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryListTest {

    /** The list's nodes from the head, as "c0" (call of operation 0) and "r0" (its return). */
    private static List<String> walk(EntryList list) {
        List<String> nodes = new ArrayList<>();
        for (int n = list.first(); n != EntryList.NIL; n = list.next(n)) {
            nodes.add((EntryList.isCall(n) ? "c" : "r") + EntryList.operation(n));
        }
        return nodes;
    }

    @Test
    void ordersEventsByTimeWithCallsBeforeReturnsAtEqualTimes() {
        // op 0: [0, 10]; op 1: [10, 20]; op 2: [5, never]
        EntryList list = new EntryList(new long[] {0, 10, 5}, new long[] {10, 20, Operation.NEVER});
        assertEquals(List.of("c0", "c2", "c1", "r0", "r1", "r2"), walk(list));
    }

    @Test
    void liftRemovesAnOperationAndUnliftInReverseOrderRestoresTheList() {
        EntryList list = new EntryList(new long[] {0, 1, 2}, new long[] {3, 4, 5});
        List<String> original = walk(list);
        list.lift(EntryList.callOf(1));
        assertEquals(List.of("c0", "c2", "r0", "r2"), walk(list));
        list.lift(EntryList.callOf(2)); // its return is the last node
        assertEquals(List.of("c0", "r0"), walk(list));
        list.lift(EntryList.callOf(0)); // call and return adjacent
        assertEquals(List.of(), walk(list));
        list.unlift(EntryList.callOf(0));
        list.unlift(EntryList.callOf(2));
        list.unlift(EntryList.callOf(1));
        assertEquals(original, walk(list));
    }
}

package io.raftkv.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KvModelTest {
    private static final String MISSING = null;

    @Test
    void getIsLegalOnlyIfItReadsTheCurrentValue() {
        assertTrue(KvModel.isLegal("a", Operation.get(0, "k", "a", 0, 1)));
        assertFalse(KvModel.isLegal("a", Operation.get(0, "k", "b", 0, 1)));
        assertTrue(KvModel.isLegal(MISSING, Operation.get(0, "k", MISSING, 0, 1)));
        assertFalse(KvModel.isLegal(MISSING, Operation.get(0, "k", "a", 0, 1)));
        assertFalse(KvModel.isLegal("a", Operation.get(0, "k", MISSING, 0, 1)));
        assertEquals("a", KvModel.apply("a", Operation.get(0, "k", "a", 0, 1)));
    }

    @Test
    void putAndDeleteAreLegalInAnyStateAndOverwrite() {
        Operation put = Operation.put(0, "k", "v", 0, 1);
        Operation delete = Operation.delete(0, "k", 0, 1);
        assertTrue(KvModel.isLegal(MISSING, put));
        assertTrue(KvModel.isLegal("x", put));
        assertEquals("v", KvModel.apply("x", put));
        assertTrue(KvModel.isLegal(MISSING, delete));
        assertNull(KvModel.apply("x", delete));
        assertNull(KvModel.apply(MISSING, delete));
    }

    @Test
    void appendConcatenatesAndTreatsMissingAsEmpty() {
        assertEquals("ab", KvModel.apply("a", Operation.append(0, "k", "b", 0, 1)));
        assertEquals("b", KvModel.apply(MISSING, Operation.append(0, "k", "b", 0, 1)));
    }

    @Test
    void casSucceedsOnlyWhenTheCurrentValueIsTheExpectedOne() {
        Operation casAb = Operation.cas(0, "k", "a", "b", 0, 1);
        assertTrue(KvModel.isLegal("a", casAb));
        assertEquals("b", KvModel.apply("a", casAb));
        assertFalse(KvModel.isLegal("x", casAb));
        assertFalse(KvModel.isLegal(MISSING, casAb));

        Operation casIfMissing = Operation.cas(0, "k", MISSING, "b", 0, 1);
        assertTrue(KvModel.isLegal(MISSING, casIfMissing));
        assertFalse(KvModel.isLegal("", casIfMissing), "the empty string is a value, not a missing key");
    }

    @Test
    void anUnknownOutcomeIsAlwaysLegalAndAnUnknownCasWithAnotherValueHasNoEffect() {
        Operation casAb = Operation.cas(0, "k", "a", "b", 0, 1).unknown();
        assertTrue(KvModel.isLegal("x", casAb));
        assertEquals("x", KvModel.apply("x", casAb));
        assertEquals("b", KvModel.apply("a", casAb));
        assertTrue(KvModel.isLegal("x", Operation.put(0, "k", "v", 0, 1).unknown()));
    }
}

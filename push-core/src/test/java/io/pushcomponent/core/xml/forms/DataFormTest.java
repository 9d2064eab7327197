package io.pushcomponent.core.xml.forms;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.core.xml.Namespaces;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link DataForm#violation()}: the XEP-0004 rules a received form is held to. */
class DataFormTest {

    @Test
    void aFormOfTheFourTypesOrWithoutTypeWithUniqueVarsBreaksNoRule() {
        assertThat(DataForm.submit(Namespaces.PUSH_SUMMARY).field("message-count", "1")
                .field("last-message-sender", "juliet@capulet.example").violation()).isEmpty();
        assertThat(new DataForm().field("secret", "s").violation()).as("some servers send no type").isEmpty();
        assertThat(DataForm.ofType(DataForm.CANCEL, null).violation()).isEmpty();
        assertThat(DataForm.result(null).add(new DataForm.Field(null).type(DataForm.Field.FIXED).values("label"))
                .add(new DataForm.Field(null).type(DataForm.Field.FIXED).values("another label")).violation())
                .as("XEP-0004 §3.2: a fixed field needs no var, so two of them repeat none").isEmpty();
    }

    @Test
    void anUnknownTypeIsAViolation() {
        assertThat(DataForm.ofType("bogus", null).violation()).as("XEP-0004 §3.1")
                .hasValueSatisfying(v -> assertThat(v).contains("'bogus'"));
    }

    @Test
    void aFieldWithoutVarIsAViolation() {
        assertThat(DataForm.submit(null).add(new DataForm.Field(null).values("x")).violation()).as("XEP-0004 §3.2")
                .hasValueSatisfying(v -> assertThat(v).contains("no 'var'"));
        assertThat(DataForm.submit(null).add(new DataForm.Field("").values("x")).violation()).isPresent();
    }

    @Test
    void aRepeatedVarIsAViolationInSmallAndLargeForms() {
        DataForm small = DataForm.submit(null).field("a", "1").field("b", "2").field("a", "3");
        DataForm large = DataForm.submit(null);
        IntStream.range(0, 40).forEach(i -> large.field("f" + i, "v"));
        large.field("f39", "again");

        assertThat(small.violation()).as("XEP-0004 §3.2: var identifies one field within the form")
                .hasValueSatisfying(v -> assertThat(v).contains("more than one field 'a'"));
        assertThat(large.violation()).as("the same rule past the size where a set finds repeats")
                .hasValueSatisfying(v -> assertThat(v).contains("more than one field 'f39'"));
        large.fields().remove(large.fields().size() - 1);
        assertThat(large.violation()).isEmpty();
    }
}

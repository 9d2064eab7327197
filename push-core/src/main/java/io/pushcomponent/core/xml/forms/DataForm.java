package io.pushcomponent.core.xml.forms;

import io.pushcomponent.core.xml.Namespaces;
import io.pushcomponent.core.xml.internal.Empty;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A XEP-0004 data form ({@code <x xmlns='jabber:x:data'/>}).
 *
 * <pre>{@code
 * DataForm summary = DataForm.submit(Namespaces.PUSH_SUMMARY)
 *         .field("message-count", "1")
 *         .field("last-message-sender", "juliet@capulet.example/balcony");
 * String count = summary.value("message-count").orElse(null);
 * }</pre>
 *
 * <p>The hidden {@code FORM_TYPE} field is an ordinary field here; {@link #formType()} reads it. Reading is
 * lenient as real servers are: fields without {@code type}, empty fields and a missing form {@code type} are fine.
 * Mutable JAXB object; not thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0004.html">XEP-0004: Data Forms</a>
 */
@XmlRootElement(name = "x", namespace = Namespaces.DATA)
@XmlType(propOrder = {"title", "instructions", "fields", "reported", "items", "other"})
@XmlAccessorType(XmlAccessType.FIELD)
public final class DataForm {
    /** Form type: a form to fill in. */
    public static final String FORM = "form";
    /** Form type: a filled-in form. */
    public static final String SUBMIT = "submit";
    /** Form type: a cancelled form. */
    public static final String CANCEL = "cancel";
    /** Form type: results. */
    public static final String RESULT = "result";
    /** Up to this many fields, repeated {@code var}s are found without a set (the forms of publishes are this small). */
    private static final int SMALL_FORM = 16;

    @XmlAttribute
    private String type;
    @XmlElement(name = "title", namespace = Namespaces.DATA)
    private String title;
    @XmlElement(name = "instructions", namespace = Namespaces.DATA)
    private List<String> instructions;
    @XmlElement(name = "field", namespace = Namespaces.DATA)
    private List<Field> fields;
    @XmlElement(name = "reported", namespace = Namespaces.DATA)
    private Row reported;
    @XmlElement(name = "item", namespace = Namespaces.DATA)
    private List<Row> items;
    @XmlAnyElement(lax = true)
    private List<Object> other;

    /** An empty form without a type. */
    public DataForm() {
    }

    /** An empty form of {@code type} ({@code form}, {@code submit}, {@code cancel}, {@code result}). */
    public static DataForm ofType(String type, String formType) {
        DataForm f = new DataForm();
        f.type = type;
        if (formType != null) {
            f.fields().add(new Field("FORM_TYPE").type(Field.HIDDEN).values(formType));
        }
        return f;
    }

    /** A {@code submit} form whose {@code FORM_TYPE} is {@code formType} ({@code null} for none). */
    public static DataForm submit(String formType) {
        return ofType(SUBMIT, formType);
    }

    /** A {@code form} form (to be filled in) whose {@code FORM_TYPE} is {@code formType} ({@code null} for none). */
    public static DataForm form(String formType) {
        return ofType(FORM, formType);
    }

    /** A {@code result} form whose {@code FORM_TYPE} is {@code formType} ({@code null} for none). */
    public static DataForm result(String formType) {
        return ofType(RESULT, formType);
    }

    /** The form type attribute, or {@code null} (some servers omit it). */
    public String type() {
        return type;
    }

    /** Sets the form type attribute. */
    public DataForm type(String type) {
        this.type = type;
        return this;
    }

    /** The title, or {@code null}. */
    public String title() {
        return title;
    }

    /** Sets the title. */
    public DataForm title(String title) {
        this.title = title;
        return this;
    }

    /** Adds an instructions line. */
    public DataForm instructions(String line) {
        if (instructions == null) {
            instructions = new ArrayList<>(1);
        }
        instructions.add(line);
        return this;
    }

    /** The value of the {@code FORM_TYPE} field, or {@code null}. */
    public String formType() {
        return value("FORM_TYPE").orElse(null);
    }

    /** The fields, in document order; live. */
    public List<Field> fields() {
        if (fields == null) {
            fields = new ArrayList<>(4);
        }
        return fields;
    }

    /**
     * The first way this form breaks XEP-0004's rules for a form and its fields, as a sentence for a
     * {@code bad-request}'s text, or empty when it breaks none: a {@code type} that is none of {@code form},
     * {@code submit}, {@code cancel} and {@code result} (§3.1; a missing type is accepted, as some servers omit it);
     * a field without {@code var}, except a {@code fixed} one; two fields with the same {@code var}, which identifies
     * a field within its form (§3.2). Fields in {@code <reported/>} and {@code <item/>} rows are not checked.
     *
     * @see <a href="https://xmpp.org/extensions/xep-0004.html#protocol-formtypes">XEP-0004 §3.1 Form Types</a>
     * @see <a href="https://xmpp.org/extensions/xep-0004.html#protocol-field">XEP-0004 §3.2 The Field Element</a>
     */
    public Optional<String> violation() {
        if (type != null && !FORM.equals(type) && !SUBMIT.equals(type) && !CANCEL.equals(type)
                && !RESULT.equals(type)) {
            return Optional.of("the form's type '" + type + "' is none of form, submit, cancel and result, which "
                    + "XEP-0004 section 3.1 allows");
        }
        List<Field> all = fields();
        Set<String> seen = all.size() > SMALL_FORM ? new HashSet<>() : null;
        for (int i = 0; i < all.size(); i++) {
            Field f = all.get(i);
            String var = f.var();
            if (var == null || var.isEmpty()) {
                if (Field.FIXED.equals(f.type())) {
                    continue;
                }
                return Optional.of("a field of the form has no 'var', which XEP-0004 section 3.2 requires");
            }
            if (seen != null ? !seen.add(var) : repeatedBefore(all, i, var)) {
                return Optional.of("the form has more than one field '" + var + "'; XEP-0004 section 3.2 makes "
                        + "'var' unique within a form");
            }
        }
        return Optional.empty();
    }

    private static boolean repeatedBefore(List<Field> fields, int index, String var) {
        for (int i = 0; i < index; i++) {
            if (var.equals(fields.get(i).var())) {
                return true;
            }
        }
        return false;
    }

    /** The field named {@code var}. */
    public Optional<Field> field(String var) {
        return Optional.ofNullable(find(var));
    }

    /** The first field {@code var}, or {@code null}: a look-up that every publish makes, without an Optional. */
    private Field find(String var) {
        if (fields != null) {
            for (Field f : fields) {
                if (var.equals(f.var())) {
                    return f;
                }
            }
        }
        return null;
    }

    /** Adds a field {@code var} without a type (as a submitted form carries them) with the given values. */
    public DataForm field(String var, String... values) {
        fields().add(new Field(var).values(values));
        return this;
    }

    /** Adds a field. */
    public DataForm add(Field field) {
        fields().add(field);
        return this;
    }

    /**
     * The first value of field {@code var}; empty when the field is missing, has no value or its value is empty
     * (Prosody sends {@code <field var='last-message-sender'/>}).
     */
    public Optional<String> value(String var) {
        Field f = find(var);
        return f == null ? Optional.empty() : f.value();
    }

    /** Every value of field {@code var}; empty when the field is missing. */
    public List<String> values(String var) {
        return field(var).map(Field::values).orElse(List.of());
    }

    /**
     * Declares the columns of a multi-item result (XEP-0004 §3.4): one field per column, with its {@code var},
     * {@code label} and {@code type}, no value. Replaces columns declared before.
     *
     * @see <a href="https://xmpp.org/extensions/xep-0004.html#protocol-results">XEP-0004 §3.4 Multiple Items in
     *      Form Results</a>
     */
    public DataForm reported(Field... columns) {
        reported = new Row(List.of(columns));
        return this;
    }

    /** The columns of a multi-item result; empty when the form declares none. */
    public List<Field> reported() {
        return reported == null ? List.of() : reported.fields();
    }

    /** Adds an item (a row) of a multi-item result: one field per {@link #reported() column}, with its values. */
    public DataForm item(Field... fields) {
        if (items == null) {
            items = new ArrayList<>(4);
        }
        items.add(new Row(List.of(fields)));
        return this;
    }

    /** The items (rows) of a multi-item result, each a list of fields. */
    public List<List<Field>> items() {
        return items == null ? List.of() : items.stream().map(Row::fields).toList();
    }

    /** The fields of a {@code <reported/>} or {@code <item/>}. */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "row")
    static final class Row {
        @XmlElement(name = "field", namespace = Namespaces.DATA)
        private List<Field> fields;

        /** For JAXB. */
        Row() {
        }

        Row(List<Field> fields) {
            this.fields = new ArrayList<>(fields);
        }

        List<Field> fields() {
            return fields == null ? List.of() : fields;
        }
    }

    /** Child elements this class does not model; live. */
    public List<Object> other() {
        if (other == null) {
            other = new ArrayList<>(1);
        }
        return other;
    }

    /**
     * A form field.
     *
     * @see <a href="https://xmpp.org/extensions/xep-0004.html#protocol-field">XEP-0004 §3.2 The Field Element</a>
     */
    @XmlType(name = "field", propOrder = {"desc", "required", "values", "options", "other"})
    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Field {
        /** Field type {@code hidden}. */
        public static final String HIDDEN = "hidden";
        /** Field type {@code text-single}. */
        public static final String TEXT_SINGLE = "text-single";
        /** Field type {@code text-private}. */
        public static final String TEXT_PRIVATE = "text-private";
        /** Field type {@code list-single}. */
        public static final String LIST_SINGLE = "list-single";
        /** Field type {@code list-multi}. */
        public static final String LIST_MULTI = "list-multi";
        /** Field type {@code jid-single}. */
        public static final String JID_SINGLE = "jid-single";
        /** Field type {@code boolean}. */
        public static final String BOOLEAN = "boolean";
        /** Field type {@code fixed}. */
        public static final String FIXED = "fixed";

        @XmlAttribute
        private String var;
        @XmlAttribute
        private String type;
        @XmlAttribute
        private String label;
        @XmlElement(name = "desc", namespace = Namespaces.DATA)
        private String desc;
        @XmlElement(name = "required", namespace = Namespaces.DATA)
        private Empty required;
        @XmlElement(name = "value", namespace = Namespaces.DATA)
        private List<String> values;
        @XmlElement(name = "option", namespace = Namespaces.DATA)
        private List<Option> options;
        @XmlAnyElement(lax = true)
        private List<Object> other;

        /** For JAXB. */
        Field() {
        }

        /** A field named {@code var}. */
        public Field(String var) {
            this.var = var;
        }

        /** The {@code var}, or {@code null} (fixed fields have none). */
        public String var() {
            return var;
        }

        /** The field type, or {@code null} (submitted forms omit it). */
        public String type() {
            return type;
        }

        /** Sets the field type. */
        public Field type(String type) {
            this.type = type;
            return this;
        }

        /** The label, or {@code null}. */
        public String label() {
            return label;
        }

        /** Sets the label. */
        public Field label(String label) {
            this.label = label;
            return this;
        }

        /** The description, or {@code null}. */
        public String desc() {
            return desc;
        }

        /** Sets the description. */
        public Field desc(String desc) {
            this.desc = desc;
            return this;
        }

        /** {@code true} when the field carries {@code <required/>}. */
        public boolean required() {
            return required != null;
        }

        /** Marks the field required. */
        public Field required(boolean required) {
            this.required = required ? new Empty() : null;
            return this;
        }

        /** The values (never {@code null}). */
        public List<String> values() {
            return values == null ? List.of() : List.copyOf(values);
        }

        /** How many values the field has, without copying them. */
        public int valueCount() {
            return values == null ? 0 : values.size();
        }

        /** Replaces the values. */
        public Field values(String... values) {
            if (values.length == 1) {
                this.values = Collections.singletonList(values[0]);
                return this;
            }
            List<String> copy = new ArrayList<>(values.length);
            Collections.addAll(copy, values);
            this.values = copy;
            return this;
        }

        /** The first value, when it is present and not empty. */
        public Optional<String> value() {
            if (values == null || values.isEmpty()) {
                return Optional.empty();
            }
            String v = values.get(0);
            return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
        }

        /** The options of a list field (never {@code null}). */
        public List<Option> options() {
            return options == null ? List.of() : List.copyOf(options);
        }

        /** Adds an option. */
        public Field option(String label, String value) {
            if (options == null) {
                options = new ArrayList<>(4);
            }
            options.add(new Option(label, value));
            return this;
        }
    }

    /** An option of a list field. */
    @XmlType(name = "option")
    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Option {
        @XmlAttribute
        private String label;
        @XmlElement(name = "value", namespace = Namespaces.DATA)
        private String value;

        /** For JAXB. */
        Option() {
        }

        /** An option. */
        public Option(String label, String value) {
            this.label = label;
            this.value = value;
        }

        /** The label, or {@code null}. */
        public String label() {
            return label;
        }

        /** The value. */
        public String value() {
            return value;
        }
    }
}

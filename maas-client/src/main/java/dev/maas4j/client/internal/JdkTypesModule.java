package dev.maas4j.client.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.Deserializers;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import com.fasterxml.jackson.databind.deser.std.ReferenceTypeDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.jsontype.TypeDeserializer;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.Serializers;
import com.fasterxml.jackson.databind.ser.std.ReferenceTypeSerializer;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.databind.type.ReferenceType;
import com.fasterxml.jackson.databind.type.TypeBindings;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.databind.type.TypeModifier;
import com.fasterxml.jackson.databind.util.NameTransformer;

import java.io.IOException;
import java.lang.reflect.Type;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * Teaches a private {@code ObjectMapper} {@link Optional} and {@link Instant}.
 *
 * <p>Why not {@code jackson-datatype-jdk8} and {@code -jsr310}: the client promises app teams a
 * single dependency (jackson-databind), and these two types are all it needs. The Optional
 * support follows the same design as the jdk8 module (a reference type, so that
 * {@code JsonInclude.Include.NON_ABSENT} omits empty values and a missing property reads as
 * {@code Optional.empty()}).
 */
public final class JdkTypesModule extends SimpleModule {

    private static final long serialVersionUID = 1L;

    /** Creates the module. */
    public JdkTypesModule() {
        super("maas4j-jdk-types");
        addSerializer(Instant.class, new InstantSerializer());
        addDeserializer(Instant.class, new InstantDeserializer());
    }

    @Override
    public void setupModule(SetupContext context) {
        super.setupModule(context);
        context.addTypeModifier(new OptionalTypeModifier());
        context.addSerializers(new OptionalSerializers());
        context.addDeserializers(new OptionalDeserializers());
    }

    /** Makes {@code Optional<T>} a reference type, as {@code AtomicReference<T>} is natively. */
    private static final class OptionalTypeModifier extends TypeModifier {
        @Override
        public JavaType modifyType(JavaType type, Type jdkType, TypeBindings bindings, TypeFactory typeFactory) {
            if (type.isReferenceType() || type.isContainerType() || type.getRawClass() != Optional.class) {
                return type;
            }
            return ReferenceType.upgradeFrom(type, type.containedTypeOrUnknown(0));
        }
    }

    private static final class OptionalSerializers extends Serializers.Base {
        @Override
        public JsonSerializer<?> findReferenceSerializer(SerializationConfig config, ReferenceType type,
                                                         BeanDescription beanDesc, TypeSerializer contentTypeSerializer,
                                                         JsonSerializer<Object> contentValueSerializer) {
            if (!type.hasRawClass(Optional.class)) {
                return null;
            }
            boolean staticTyping = contentTypeSerializer == null && config.isEnabled(MapperFeature.USE_STATIC_TYPING);
            return new OptionalSerializer(type, staticTyping, contentTypeSerializer, contentValueSerializer);
        }
    }

    private static final class OptionalDeserializers extends Deserializers.Base {
        @Override
        public JsonDeserializer<?> findReferenceDeserializer(ReferenceType type, DeserializationConfig config,
                                                             BeanDescription beanDesc,
                                                             TypeDeserializer contentTypeDeserializer,
                                                             JsonDeserializer<?> contentDeserializer) {
            if (!type.hasRawClass(Optional.class)) {
                return null;
            }
            return new OptionalDeserializer(type, null, contentTypeDeserializer, contentDeserializer);
        }
    }

    private static final class OptionalSerializer extends ReferenceTypeSerializer<Optional<?>> {
        private static final long serialVersionUID = 1L;

        OptionalSerializer(ReferenceType type, boolean staticTyping, TypeSerializer vts, JsonSerializer<Object> ser) {
            super(type, staticTyping, vts, ser);
        }

        private OptionalSerializer(OptionalSerializer base, BeanProperty property, TypeSerializer vts,
                                   JsonSerializer<?> valueSer, NameTransformer unwrapper,
                                   Object suppressableValue, boolean suppressNulls) {
            super(base, property, vts, valueSer, unwrapper, suppressableValue, suppressNulls);
        }

        @Override
        protected ReferenceTypeSerializer<Optional<?>> withResolved(BeanProperty prop, TypeSerializer vts,
                                                                     JsonSerializer<?> valueSer,
                                                                     NameTransformer unwrapper) {
            return new OptionalSerializer(this, prop, vts, valueSer, unwrapper, _suppressableValue, _suppressNulls);
        }

        @Override
        public ReferenceTypeSerializer<Optional<?>> withContentInclusion(Object suppressableValue,
                                                                         boolean suppressNulls) {
            return new OptionalSerializer(this, _property, _valueTypeSerializer, _valueSerializer, _unwrapper,
                    suppressableValue, suppressNulls);
        }

        @Override
        protected boolean _isValuePresent(Optional<?> value) {
            return value.isPresent();
        }

        @Override
        protected Object _getReferenced(Optional<?> value) {
            return value.get();
        }

        @Override
        protected Object _getReferencedIfPresent(Optional<?> value) {
            return value.orElse(null);
        }
    }

    private static final class OptionalDeserializer extends ReferenceTypeDeserializer<Optional<?>> {
        private static final long serialVersionUID = 1L;

        OptionalDeserializer(JavaType fullType, ValueInstantiator inst, TypeDeserializer typeDeser,
                             JsonDeserializer<?> deser) {
            super(fullType, inst, typeDeser, deser);
        }

        @Override
        protected ReferenceTypeDeserializer<Optional<?>> withResolved(TypeDeserializer typeDeser,
                                                                     JsonDeserializer<?> valueDeser) {
            return new OptionalDeserializer(_fullType, _valueInstantiator, typeDeser, valueDeser);
        }

        @Override
        public Optional<?> getNullValue(DeserializationContext ctxt) {
            return Optional.empty();
        }

        @Override
        public Object getEmptyValue(DeserializationContext ctxt) {
            return Optional.empty();
        }

        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return Optional.empty();
        }

        @Override
        public Optional<?> referenceValue(Object contents) {
            return Optional.ofNullable(contents);
        }

        @Override
        public Object getReferenced(Optional<?> reference) {
            return reference.orElse(null);
        }

        @Override
        public Optional<?> updateReference(Optional<?> reference, Object contents) {
            return Optional.ofNullable(contents);
        }
    }

    /** Writes RFC 3339 in UTC, e.g. {@code 2026-01-15T10:30:00Z}. */
    private static final class InstantSerializer extends StdScalarSerializer<Instant> {
        private static final long serialVersionUID = 1L;

        InstantSerializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.toString());
        }
    }

    /** Reads RFC 3339 with any offset, or epoch seconds (as OpenAI's {@code created} fields are). */
    private static final class InstantDeserializer extends StdScalarDeserializer<Instant> {
        private static final long serialVersionUID = 1L;

        InstantDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken token = p.currentToken();
            if (token == JsonToken.VALUE_NUMBER_INT) {
                return Instant.ofEpochSecond(p.getLongValue());
            }
            if (token == JsonToken.VALUE_STRING) {
                String text = p.getText().trim();
                if (text.isEmpty()) {
                    return null;
                }
                try {
                    return OffsetDateTime.parse(text).toInstant();
                } catch (DateTimeException e) {
                    return (Instant) ctxt.handleWeirdStringValue(Instant.class, text,
                            "not an RFC 3339 date-time: %s", e.getMessage());
                }
            }
            return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
        }
    }
}

package dev.maas4j.gateway.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every module's public API, as a checked-in dump ({@code <module>/api/<module>.api}) compared
 * with the compiled classes on every build, so that a change of surface shows in review (as
 * OkHttp does): the public and protected types, constructors, methods and fields of the packages
 * that are not {@code internal}. After a deliberate change, regenerate the dumps with
 * {@code mvn -pl maas-gateway -am test -Dtest=ApiDumpTest -Dmaas.api.update=true} and commit them.
 */
class ApiDumpTest {
    private static final boolean UPDATE = Boolean.getBoolean("maas.api.update");

    @ParameterizedTest(name = "{1}")
    @CsvSource({
            "dev.maas4j.api, maas-api",
            "dev.maas4j.core, maas-core",
            "dev.maas4j.client, maas-client",
            "dev.maas4j.servlet, maas-servlet",
            "dev.maas4j.management, maas-management",
            "dev.maas4j.store.jdbc, maas-store-jdbc",
            "dev.maas4j.store.k8s, maas-store-k8s",
            "dev.maas4j.gateway, maas-gateway",
            "dev.maas4j.testing, maas-testing"})
    void thePublicApiIsTheCheckedInDump(String rootPackage, String module) throws IOException {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(rootPackage);
        String actual = dump(classes, rootPackage);
        Path file = Path.of("..", module, "api", module + ".api");
        if (UPDATE) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        String expected = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        if (!expected.equals(actual)) {
            Set<String> was = new TreeSet<>(expected.lines().toList());
            Set<String> is = new TreeSet<>(actual.lines().toList());
            List<String> changes = new ArrayList<>();
            is.stream().filter(l -> !was.contains(l)).forEach(l -> changes.add("+ " + l));
            was.stream().filter(l -> !is.contains(l)).forEach(l -> changes.add("- " + l));
            fail("the public API of " + module + " differs from " + file + " (regenerate it with "
                    + "-Dmaas.api.update=true if the change is meant):\n" + String.join("\n", changes));
        }
    }

    /** One line per public type and member, sorted by type. */
    private static String dump(JavaClasses classes, String rootPackage) {
        StringBuilder out = new StringBuilder();
        classes.stream()
                .filter(c -> c.getPackageName().startsWith(rootPackage))
                .filter(c -> !c.getPackageName().contains(".internal"))
                .filter(ApiDumpTest::visible)
                .sorted((a, b) -> a.getName().compareTo(b.getName()))
                .forEach(c -> {
                    out.append(declaration(c)).append('\n');
                    TreeSet<String> members = new TreeSet<>();
                    for (JavaCodeUnit unit : c.getCodeUnits()) {
                        if (exposed(unit.getModifiers()) && !unit.getName().startsWith("lambda$")
                                && !unit.getModifiers().contains(JavaModifier.SYNTHETIC)
                                && !unit.getModifiers().contains(JavaModifier.BRIDGE)) {
                            members.add("  " + modifiers(unit.getModifiers()) + unit.getRawReturnType().getName()
                                    + " " + unit.getName() + "(" + unit.getRawParameterTypes().stream()
                                    .map(JavaClass::getName).collect(Collectors.joining(", ")) + ")");
                        }
                    }
                    for (JavaField field : c.getFields()) {
                        if (exposed(field.getModifiers()) && !field.getModifiers().contains(JavaModifier.SYNTHETIC)) {
                            members.add("  " + modifiers(field.getModifiers()) + field.getRawType().getName() + " "
                                    + field.getName());
                        }
                    }
                    members.forEach(m -> out.append(m).append('\n'));
                });
        return out.toString();
    }

    /** A type outside code sees: public, and every enclosing type public too. */
    private static boolean visible(JavaClass c) {
        if (!c.getModifiers().contains(JavaModifier.PUBLIC) || c.isAnonymousClass() || c.isLocalClass()) {
            return false;
        }
        return c.getEnclosingClass().map(ApiDumpTest::visible).orElse(true);
    }

    private static String declaration(JavaClass c) {
        String kind = c.isEnum() ? "enum" : c.isRecord() ? "record" : c.isInterface() ? "interface" : "class";
        StringBuilder line = new StringBuilder(modifiers(c.getModifiers())).append(kind).append(' ')
                .append(c.getName());
        c.getRawSuperclass().filter(s -> !s.getName().equals("java.lang.Object") && !s.getName().equals("java.lang.Enum")
                && !s.getName().equals("java.lang.Record")).ifPresent(s -> line.append(" extends ").append(s.getName()));
        List<String> interfaces = c.getRawInterfaces().stream().map(JavaClass::getName).sorted().toList();
        if (!interfaces.isEmpty()) {
            line.append(" implements ").append(String.join(", ", interfaces));
        }
        return line.toString();
    }

    private static boolean exposed(Set<JavaModifier> modifiers) {
        return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
    }

    private static String modifiers(Set<JavaModifier> modifiers) {
        StringBuilder text = new StringBuilder();
        for (JavaModifier m : List.of(JavaModifier.PUBLIC, JavaModifier.PROTECTED, JavaModifier.ABSTRACT,
                JavaModifier.STATIC, JavaModifier.FINAL)) {
            if (modifiers.contains(m)) {
                text.append(m.name().toLowerCase(java.util.Locale.ROOT)).append(' ');
            }
        }
        return text.toString();
    }
}

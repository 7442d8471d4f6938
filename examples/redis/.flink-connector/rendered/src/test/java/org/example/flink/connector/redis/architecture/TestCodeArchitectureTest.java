// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis.architecture;

import org.apache.flink.test.junit5.MiniClusterExtension;

import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Flink's test-code architecture rules (flink-architecture-tests-test: ITCases on a MiniCluster)
 * and Apache's connectors' JUnit 4 ban, written with ArchUnit itself.
 */
@AnalyzeClasses(
        packages = "org.example.flink.connector.redis",
        importOptions = {
            TestCodeArchitectureTest.OnlyIncludeTestClasses.class,
            ImportOption.DoNotIncludeArchives.class
        })
public class TestCodeArchitectureTest {

    /**
     * Only Maven's test output: {@code target/test-classes}, and a multi-line project's
     * {@code target/flink-<line>/test-classes}, which ArchUnit's {@code OnlyIncludeTests} does not
     * recognise (the rules would then check nothing).
     */
    public static final class OnlyIncludeTestClasses implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return location.contains("/test-classes/");
        }
    }

    @ArchTest
    public static final ArchRule ITCASES_USE_A_MINI_CLUSTER =
            classes()
                    .that().haveSimpleNameEndingWith("ITCase")
                    .and().areTopLevelClasses()
                    .should(registerTheMiniClusterExtension())
                    .as("ITCASE tests should use a MiniCluster resource or extension");

    @ArchTest
    public static final ArchRule NO_JUNIT4 =
            noClasses()
                    .should().dependOnClassesThat().resideInAnyPackage("org.junit", "junit.framework", "org.junit.rules..", "org.junit.runner..")
                    .as("Tests use JUnit 5 (and AssertJ), not JUnit 4");

    /** A static final MiniClusterExtension field with @RegisterExtension, or @ExtendWith of it. */
    private static ArchCondition<JavaClass> registerTheMiniClusterExtension() {
        return new ArchCondition<JavaClass>("register a MiniClusterExtension") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                boolean registered = false;
                for (JavaField field : c.getAllFields()) {
                    registered |= field.getRawType().isAssignableTo(MiniClusterExtension.class)
                            && field.getModifiers().contains(JavaModifier.STATIC)
                            && field.getModifiers().contains(JavaModifier.FINAL)
                            && field.isAnnotatedWith(RegisterExtension.class);
                }
                if (c.isAnnotatedWith(ExtendWith.class)) {
                    JavaAnnotation<JavaClass> extendWith = c.getAnnotationOfType(ExtendWith.class.getName());
                    Object value = extendWith.get("value").orElse(new Object[0]);
                    for (Object type : (Object[]) value) {
                        registered |= type instanceof JavaClass && ((JavaClass) type).isAssignableTo(MiniClusterExtension.class);
                    }
                }
                String message = c.getName() + (registered ? " registers" : " does not register") + " a MiniClusterExtension";
                events.add(new SimpleConditionEvent(c, registered, message));
            }
        };
    }
}

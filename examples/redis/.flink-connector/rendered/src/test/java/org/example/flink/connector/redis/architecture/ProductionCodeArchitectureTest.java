// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis.architecture;

import org.apache.flink.annotation.Experimental;
import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.Public;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.configuration.ConfigOption;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Flink's production-code architecture rules (flink-architecture-tests-production: API annotations,
 * {@code @VisibleForTesting}, connector options), written with ArchUnit itself: Flink's own rule
 * artifact does not resolve for every line from Maven Central. Run with the unit tests.
 */
@AnalyzeClasses(
        packages = "org.example.flink.connector.redis",
        importOptions = {
            ProductionCodeArchitectureTest.DoNotIncludeTestClasses.class,
            ImportOption.DoNotIncludeArchives.class
        })
public class ProductionCodeArchitectureTest {

    /**
     * Leaves out Maven's test output: {@code target/test-classes}, and a multi-line project's
     * {@code target/flink-<line>/test-classes}, which ArchUnit's {@code DoNotIncludeTests} does
     * not recognise.
     */
    public static final class DoNotIncludeTestClasses implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("/test-classes/");
        }
    }

    /** What Flink loads or users name (factory, source, sink, their parts) says how stable it is. */
    @ArchTest
    public static final ArchRule API_ANNOTATIONS =
            classes()
                    .that(extendOrImplementAFlinkType())
                    .and().arePublic()
                    .and().areTopLevelClasses()
                    .should().beAnnotatedWith(Public.class)
                    .orShould().beAnnotatedWith(PublicEvolving.class)
                    .orShould().beAnnotatedWith(Experimental.class)
                    .orShould().beAnnotatedWith(Internal.class)
                    .as("Classes that extend or implement Flink types should have at least one API visibility annotation.");

    @ArchTest
    public static final ArchRule NO_CALLS_TO_VISIBLE_FOR_TESTING =
            noClasses()
                    .should(callVisibleForTestingMethodsOfOtherClasses())
                    .as("Production code must not call methods annotated with @VisibleForTesting");

    /** Flink's ConnectorRules: the options classes are public API, where docs and users find them. */
    @ArchTest
    public static final ArchRule OPTIONS_IN_PUBLIC_OPTIONS_CLASSES =
            fields()
                    .that().haveRawType(ConfigOption.class)
                    .and().areStatic()
                    .and().areDeclaredInClassesThat().haveSimpleNameEndingWith("Options")
                    .should().bePublic()
                    .andShould().beFinal()
                    .andShould().beDeclaredInClassesThat().arePublic()
                    .andShould().beDeclaredInClassesThat().areAnnotatedWith(PublicEvolving.class)
                    .as("Options for connectors and formats should reside in a consistent package and be public API.");

    private static DescribedPredicate<JavaClass> extendOrImplementAFlinkType() {
        return new DescribedPredicate<JavaClass>("extend or implement a Flink type") {
            @Override
            public boolean test(JavaClass c) {
                for (JavaClass type : c.getAllRawSuperclasses()) {
                    if (type.getPackageName().startsWith("org.apache.flink.")) {
                        return true;
                    }
                }
                for (JavaClass type : c.getAllRawInterfaces()) {
                    if (type.getPackageName().startsWith("org.apache.flink.")) {
                        return true;
                    }
                }
                return false;
            }
        };
    }

    private static ArchCondition<JavaClass> callVisibleForTestingMethodsOfOtherClasses() {
        return new ArchCondition<JavaClass>("call methods annotated with @VisibleForTesting of other classes") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                for (JavaMethodCall call : c.getMethodCallsFromSelf()) {
                    boolean other = !call.getTargetOwner().equals(c);
                    if (other && call.getTarget().isAnnotatedWith(VisibleForTesting.class)) {
                        events.add(SimpleConditionEvent.satisfied(call, call.getDescription()));
                    }
                }
            }
        };
    }
}

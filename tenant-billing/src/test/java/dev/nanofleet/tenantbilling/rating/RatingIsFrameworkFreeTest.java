package dev.nanofleet.tenantbilling.rating;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The rating core must stay runnable (and replayable) without Quarkus, a database or a broker. */
@AnalyzeClasses(packages = "dev.nanofleet.tenantbilling.rating", importOptions = ImportOption.DoNotIncludeTests.class)
class RatingIsFrameworkFreeTest {

    @ArchTest
    static final ArchRule rating_imports_no_framework = noClasses().that()
            .resideInAPackage("dev.nanofleet.tenantbilling.rating..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.quarkus..", "jakarta..", "javax..", "org.hibernate..", "io.smallrye..",
                    "io.micrometer..", "org.apache.kafka..", "org.jboss..", "dev.nanofleet.messaging..",
                    "com.lowagie..", "org.openpdf..");

    @ArchTest
    static final ArchRule rating_depends_only_on_the_jdk_and_the_events = noClasses().that()
            .resideInAPackage("dev.nanofleet.tenantbilling.rating..")
            .should()
            .dependOnClassesThat()
            .resideOutsideOfPackages("dev.nanofleet.tenantbilling.rating..", "dev.nanofleet.events..", "java..");
}

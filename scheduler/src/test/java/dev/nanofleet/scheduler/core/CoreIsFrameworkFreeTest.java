package dev.nanofleet.scheduler.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The placement core must stay runnable without Quarkus, a database or a broker. */
@AnalyzeClasses(packages = "dev.nanofleet.scheduler.core", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreIsFrameworkFreeTest {

    @ArchTest
    static final ArchRule core_imports_no_framework = noClasses().that()
            .resideInAPackage("dev.nanofleet.scheduler.core..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.quarkus..", "jakarta..", "javax..", "org.hibernate..", "io.smallrye..",
                    "io.micrometer..", "org.apache.kafka..", "org.jboss..", "dev.nanofleet.messaging..",
                    "dev.nanofleet.scheduler.service..");

    @ArchTest
    static final ArchRule core_does_not_depend_on_the_service = noClasses().that()
            .resideInAPackage("dev.nanofleet.scheduler.core..")
            .should()
            .dependOnClassesThat()
            .resideOutsideOfPackages("dev.nanofleet.scheduler.core..", "dev.nanofleet.events..", "java..");
}

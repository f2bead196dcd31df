package dev.nanofleet.node.health;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class HealthArchitectureTest {

    @Test
    void the_health_checks_import_no_framework_and_no_runtime() {
        noClasses().that().resideInAPackage("dev.nanofleet.node.health..").should().dependOnClassesThat()
                .resideInAnyPackage("io.quarkus..", "jakarta..", "io.micrometer..", "org.eclipse.microprofile..",
                        "dev.nanofleet.node.runtime..", "dev.nanofleet.node.vm..", "dev.nanofleet.node.app..",
                        "dev.nanofleet.node.controlplane..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.nanofleet.node"));
    }
}
